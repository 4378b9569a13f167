-- Only symmetric ENCRYPT_DECRYPT keys rotate automatically. Keys whose
-- primary version is not ENABLED (disabled or destroyed) get no result. The
-- next rotation must be at most 90 days after the evaluation time, as the
-- CIS audit requires. A next rotation in the past counts as due, not late.
WITH crypto_key AS (
    SELECT
        asset_name,
        account_id,
        region,
        try_cast(rtrim((raw->>'$.rotationPeriod'), 's') AS DOUBLE) AS period_seconds,
        try_cast((raw->>'$.nextRotationTime') AS TIMESTAMPTZ) AS next_rotation
    FROM gcp_kms_crypto_key
    WHERE coalesce((raw->>'$.purpose'), 'ENCRYPT_DECRYPT') = 'ENCRYPT_DECRYPT'
      AND coalesce((raw->>'$.primary.state'), 'ENABLED') = 'ENABLED'
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, 'cryptoKeys/([^/]+)', 1) AS key_name,
    regexp_extract(asset_name, 'keyRings/([^/]+)', 1) AS key_ring,
    regexp_extract(asset_name, 'locations/([^/]+)', 1) AS location,
    CASE
        WHEN period_seconds IS NULL OR period_seconds > 90 * 86400 THEN 'fail'
        WHEN next_rotation IS NULL OR next_rotation > stance_now() + INTERVAL 90 DAY THEN 'fail'
        ELSE 'pass'
    END AS status,
    'key ' || regexp_extract(asset_name, 'cryptoKeys/([^/]+)', 1) || CASE
        WHEN period_seconds IS NULL THEN ' has no rotation period, so it never rotates'
        WHEN period_seconds > 90 * 86400 THEN ' rotates every ' || round(period_seconds / 86400, 1) || ' days, more than 90'
        WHEN next_rotation IS NULL THEN ' has a rotation period but no next rotation time'
        WHEN next_rotation > stance_now() + INTERVAL 90 DAY THEN ' rotates next on ' || strftime(next_rotation, '%Y-%m-%d') || ', more than 90 days ahead'
        ELSE ' rotates every ' || round(period_seconds / 86400, 1) || ' days, next on ' || strftime(next_rotation, '%Y-%m-%d')
    END AS reason
FROM crypto_key
