-- One result per subscription. A diagnostic setting of the activity log has
-- the subscription itself as resource_id and at least one destination.
-- Disabled and deleted subscriptions are left out.
WITH setting AS (
    SELECT
        d.account_id,
        string_agg(d.name, ', ' ORDER BY d.name) AS setting_names
    FROM azure_monitor_diagnostic_setting d
    WHERE d.resource_id = '/subscriptions/' || lower(d.account_id)
      AND coalesce(d.storage_account_id, d.workspace_id, d.event_hub_authorization_rule_id, d.marketplace_partner_id) IS NOT NULL
    GROUP BY d.account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN d.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN d.account_id IS NOT NULL THEN ' exports its activity log through diagnostic settings ' || d.setting_names
        ELSE ' has no diagnostic setting that exports its activity log'
    END AS reason
FROM azure_subscription s
LEFT JOIN setting d ON d.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
