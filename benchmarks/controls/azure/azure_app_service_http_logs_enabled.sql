-- One result per web app (function apps included, since they are sites
-- too). A diagnostic setting of the app counts when it exports
-- AppServiceHTTPLogs or allLogs to at least one destination.
WITH setting AS (
    SELECT
        d.resource_id,
        string_agg(d.name, ', ' ORDER BY d.name) AS setting_names
    FROM azure_monitor_diagnostic_setting d
    WHERE list_has_any(list_transform(coalesce(d.enabled_log_categories, []), c -> lower(c)), ['appservicehttplogs', 'alllogs'])
      AND coalesce(d.storage_account_id, d.workspace_id, d.event_hub_authorization_rule_id, d.marketplace_partner_id) IS NOT NULL
    GROUP BY d.resource_id
)
SELECT
    w.id AS resource,
    w.account_id,
    w.region,
    w.name,
    w.arm_id,
    CASE WHEN d.resource_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'web app ' || w.name || CASE
        WHEN d.resource_id IS NOT NULL THEN ' sends HTTP logs through diagnostic settings ' || d.setting_names
        ELSE ' has no diagnostic setting that exports AppServiceHTTPLogs'
    END AS reason
FROM azure_app_service_web_app w
LEFT JOIN setting d ON d.resource_id = w.id
