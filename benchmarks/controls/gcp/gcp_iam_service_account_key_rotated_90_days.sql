-- Judges enabled user-managed keys by their creation time (validAfterTime).
-- Google-managed keys rotate by themselves and get no result.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, 'keys/([^/]+)$', 1) AS key_id,
    regexp_extract(asset_name, 'serviceAccounts/([^/]+)/keys/', 1) AS service_account_email,
    CASE
        WHEN try_cast((raw->>'$.validAfterTime') AS TIMESTAMPTZ) IS NULL THEN 'skip'
        WHEN try_cast((raw->>'$.validAfterTime') AS TIMESTAMPTZ) < stance_now() - INTERVAL 90 DAY THEN 'fail'
        ELSE 'pass'
    END AS status,
    'key ' || regexp_extract(asset_name, 'keys/([^/]+)$', 1) || ' of ' || regexp_extract(asset_name, 'serviceAccounts/([^/]+)/keys/', 1) || CASE
        WHEN try_cast((raw->>'$.validAfterTime') AS TIMESTAMPTZ) IS NULL THEN ' has no creation time (validAfterTime), so its age is unknown'
        ELSE ' was created on ' || strftime(try_cast((raw->>'$.validAfterTime') AS TIMESTAMPTZ), '%Y-%m-%d') || ', '
            || date_diff('day', try_cast((raw->>'$.validAfterTime') AS TIMESTAMPTZ), stance_now()) || ' days ago'
    END AS reason
FROM gcp_iam_service_account_key
WHERE coalesce((raw->>'$.keyType'), 'USER_MANAGED') <> 'SYSTEM_MANAGED'
  AND coalesce((raw->>'$.disabled'), 'false') <> 'true'
