-- One result per network security group. A flow log counts when it is
-- enabled, targets the network security group (properties.targetResourceId,
-- compared in lower case) and keeps logs for at least 90 days: a retention
-- policy that is disabled or set to 0 days keeps them forever.
WITH flow_log AS (
    SELECT
        lower(json_extract_string(properties, '$.targetResourceId')) AS target_id,
        name,
        coalesce(TRY_CAST(json_extract_string(properties, '$.enabled') AS BOOLEAN), true) AS enabled,
        coalesce(TRY_CAST(json_extract_string(properties, '$.retentionPolicy.enabled') AS BOOLEAN), false) AS retention_enabled,
        coalesce(TRY_CAST(json_extract_string(properties, '$.retentionPolicy.days') AS INTEGER), 0) AS retention_days
    FROM azure_resource
    WHERE type = 'microsoft.network/networkwatchers/flowlogs'
),
judged AS (
    SELECT
        target_id,
        bool_or(enabled AND (NOT retention_enabled OR retention_days = 0 OR retention_days >= 90)) AS ok,
        string_agg(name || ' (' || CASE
            WHEN NOT enabled THEN 'disabled'
            WHEN NOT retention_enabled OR retention_days = 0 THEN 'kept forever'
            ELSE 'kept ' || retention_days || ' days'
        END || ')', ', ' ORDER BY name) AS labels
    FROM flow_log
    GROUP BY target_id
)
SELECT
    t.id AS resource,
    t.account_id,
    t.region,
    t.name,
    t.arm_id,
    CASE WHEN coalesce(j.ok, false) THEN 'pass' ELSE 'fail' END AS status,
    'network security group ' || t.name || CASE
        WHEN j.target_id IS NULL THEN ' has no flow log'
        WHEN j.ok THEN ' has flow logs ' || j.labels
        ELSE ' has no enabled flow log kept for 90 days or more: ' || j.labels
    END AS reason
FROM azure_network_security_group t
LEFT JOIN judged j ON j.target_id = t.id

