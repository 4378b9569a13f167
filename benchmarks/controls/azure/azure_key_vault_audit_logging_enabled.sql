-- One result per key vault. A diagnostic setting of the vault counts when
-- it exports AuditEvent, the audit group or allLogs to at least one
-- destination.
WITH setting AS (
    SELECT
        d.resource_id,
        string_agg(d.name, ', ' ORDER BY d.name) AS setting_names
    FROM azure_monitor_diagnostic_setting d
    WHERE list_has_any(list_transform(coalesce(d.enabled_log_categories, []), c -> lower(c)), ['auditevent', 'audit', 'alllogs'])
      AND coalesce(d.storage_account_id, d.workspace_id, d.event_hub_authorization_rule_id, d.marketplace_partner_id) IS NOT NULL
    GROUP BY d.resource_id
)
SELECT
    v.id AS resource,
    v.account_id,
    v.region,
    v.name,
    v.arm_id,
    CASE WHEN d.resource_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'key vault ' || v.name || CASE
        WHEN d.resource_id IS NOT NULL THEN ' logs access through diagnostic settings ' || d.setting_names
        ELSE ' has no diagnostic setting that exports its AuditEvent logs'
    END AS reason
FROM azure_key_vault v
LEFT JOIN setting d ON d.resource_id = v.id
