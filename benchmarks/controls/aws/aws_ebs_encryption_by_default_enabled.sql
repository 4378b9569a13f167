-- One row per enabled region of each account. A region passes when EBS
-- encrypts new volumes and snapshot copies by default. Existing volumes
-- are not read, because this control judges the default only.
WITH coverage AS (
    -- Latest sync status of each partition of the setting's table at the
    -- evaluated moment, which stance_now() returns.
    SELECT account_id, region, status
    FROM (
        SELECT p.account_id, p.region, p.status,
               row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name = 'aws_ebs_encryption_by_default'
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
regions AS (
    -- Enabled regions only, so opt-in regions that the account has not
    -- enabled get no result. An account whose region list was not synced falls back to
    -- the regions its partitions of the setting's table cover.
    SELECT account_id, region_name AS region
    FROM aws_ec2_region
    WHERE coalesce(enabled, true)
    UNION
    SELECT c.account_id, c.region
    FROM coverage c
    WHERE NOT EXISTS (SELECT 1 FROM aws_ec2_region e WHERE e.account_id = c.account_id)
)
SELECT
    g.account_id || '/' || g.region AS resource,
    g.account_id,
    g.region,
    CASE
        WHEN c.status IS NULL THEN 'skip'
        WHEN e.enabled THEN 'pass'
        WHEN e.enabled IS NULL THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN c.status IS NULL
            THEN 'not evaluated: region ' || g.region || ' is enabled but aws_ebs_encryption_by_default was not synced there'
        WHEN e.enabled
            THEN 'region ' || g.region || ' encrypts new EBS volumes by default with '
                || coalesce(e.default_kms_key_id, 'a KMS key that could not be read')
        WHEN e.region IS NULL
            THEN 'not evaluated: the sync of region ' || g.region || ' returned no EBS encryption setting'
        WHEN e.enabled IS NULL
            THEN 'not evaluated: the EBS encryption setting of region ' || g.region || ' was not reported'
        ELSE 'region ' || g.region || ' creates new EBS volumes unencrypted unless the request asks for encryption'
    END AS reason
FROM regions g
LEFT JOIN coverage c ON c.account_id = g.account_id AND c.region = g.region
LEFT JOIN aws_ebs_encryption_by_default e ON e.account_id = g.account_id AND e.region = g.region
-- A partition that the last sync could not read is reported by the engine
-- as a blind spot, with this same resource.
WHERE c.status IS NULL OR c.status = 'ok'
