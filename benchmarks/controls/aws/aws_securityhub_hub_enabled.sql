-- One result per region that the account has enabled. Opt-in regions that
-- the account has not enabled get none, because no service runs there.
-- aws_securityhub_hub has a row, enabled or not, for every region whose
-- sync succeeded. A region without one was either never synced, which is
-- reported here as skip, or is a blind spot of the last sync, which the
-- engine reports, so this query leaves it out. The latest partition is
-- read at the evaluation time, as the engine reads blind spots.
WITH enabled_region AS (
    SELECT account_id, region_name
    FROM aws_ec2_region
    WHERE enabled
),
coverage AS (
    SELECT p.account_id, p.region, p.status
    FROM stance_sync_partition p
    JOIN stance_sync_run r USING (run_id)
    WHERE p.table_name = 'aws_securityhub_hub'
      AND (getvariable('stance_at') IS NULL OR r.sync_time <= getvariable('stance_at')::TIMESTAMPTZ)
    QUALIFY row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) = 1
)
SELECT
    g.account_id || '/' || g.region_name AS resource,
    g.account_id,
    g.region_name AS region,
    CASE
        WHEN h.enabled THEN 'pass'
        WHEN h.enabled = false THEN 'fail'
        WHEN h.account_id IS NOT NULL THEN 'skip'
        WHEN c.status IS NULL THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN h.enabled
            THEN 'Security Hub is enabled in ' || g.region_name || coalesce(' (hub ' || h.hub_arn || ')', '')
        WHEN h.enabled = false
            THEN 'Security Hub is not enabled in ' || g.region_name
        WHEN h.account_id IS NOT NULL
            THEN 'Security Hub in ' || g.region_name || ' was not evaluated: the hub row does not say whether it is enabled'
        WHEN c.status IS NULL
            THEN 'Security Hub in ' || g.region_name || ' was not evaluated: the region was never synced for aws_securityhub_hub'
        ELSE 'Security Hub is not enabled in ' || g.region_name || ': the last sync of the region found no hub'
    END AS reason
FROM enabled_region g
LEFT JOIN aws_securityhub_hub h ON h.account_id = g.account_id AND h.region = g.region_name
LEFT JOIN coverage c ON c.account_id = g.account_id AND c.region = g.region_name
WHERE coalesce(c.status, 'ok') = 'ok'
