-- One row per enabled region of each account. A region passes when it has
-- an ACTIVE analyzer whose zone of trust is the account or the
-- organization, which reports access from outside that zone. Unused-access
-- and internal-access analyzers report other things and do not count.
-- NOTE: an ORGANIZATION analyzer is listed only in the management or
-- delegated administrator account, so a member account without an analyzer
-- of its own fails here.
WITH coverage AS (
    -- Latest sync status of each partition of the analyzer table at the
    -- evaluated moment, which stance_now() returns.
    SELECT account_id, region, status
    FROM (
        SELECT p.account_id, p.region, p.status,
               row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name = 'aws_accessanalyzer_analyzer'
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
regions AS (
    -- Enabled regions only, so opt-in regions that the account has not
    -- enabled get no result. An account whose region list was not synced falls back to
    -- the regions its analyzer partitions cover.
    SELECT account_id, region_name AS region
    FROM aws_ec2_region
    WHERE coalesce(enabled, true)
    UNION
    SELECT c.account_id, c.region
    FROM coverage c
    WHERE NOT EXISTS (SELECT 1 FROM aws_ec2_region e WHERE e.account_id = c.account_id)
),
analyzers AS (
    SELECT
        account_id,
        region,
        string_agg(name, ', ' ORDER BY name) FILTER (
            WHERE upper(type) IN ('ACCOUNT', 'ORGANIZATION') AND upper(status) = 'ACTIVE'
        ) AS active_external,
        string_agg(coalesce(name, arn) || ' (' || coalesce(type, 'type unknown') || ', '
            || coalesce(status, 'status unknown') || ')', ', ' ORDER BY name) AS listed
    FROM aws_accessanalyzer_analyzer
    GROUP BY account_id, region
)
SELECT
    g.account_id || '/' || g.region AS resource,
    g.account_id,
    g.region,
    CASE
        WHEN c.status IS NULL THEN 'skip'
        WHEN a.active_external IS NOT NULL THEN 'pass'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN c.status IS NULL
            THEN 'not evaluated: region ' || g.region || ' is enabled but aws_accessanalyzer_analyzer was not synced there'
        WHEN a.active_external IS NOT NULL
            THEN 'region ' || g.region || ' has the active external access analyzer ' || a.active_external
        WHEN a.listed IS NOT NULL
            THEN 'region ' || g.region || ' has no active analyzer of type ACCOUNT or ORGANIZATION (analyzers: ' || a.listed || ')'
        ELSE 'region ' || g.region || ' has no IAM Access Analyzer analyzer'
    END AS reason
FROM regions g
LEFT JOIN coverage c ON c.account_id = g.account_id AND c.region = g.region
LEFT JOIN analyzers a ON a.account_id = g.account_id AND a.region = g.region
-- A partition that the last sync could not read is reported by the engine
-- as a blind spot, with this same resource.
WHERE c.status IS NULL OR c.status = 'ok'
