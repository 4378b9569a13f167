-- One result per subscription. An activity log alert counts when it is
-- enabled, its scopes include the subscription itself and its condition
-- requires the operation Microsoft.Security/securitySolutions/write,
-- directly or in an anyOf group, compared case-insensitively. Alerts scoped
-- to resource groups or single resources do not count. Disabled and deleted
-- subscriptions are left out, because nothing runs in them.
WITH matching AS (
    SELECT
        a.account_id,
        string_agg(a.name, ', ' ORDER BY a.name) AS alert_names
    FROM azure_monitor_activity_log_alert a
    WHERE coalesce(a.enabled, true)
      AND list_contains(a.scopes, '/subscriptions/' || lower(a.account_id))
      AND (lower(a.operation_name) = lower('Microsoft.Security/securitySolutions/write')
           OR list_bool_or(list_transform(
                  coalesce(CAST(json_extract(a.condition, '$.allOf[*].anyOf[*]') AS JSON[]), []),
                  c -> lower(c->>'field') = 'operationname' AND lower(c->>'equals') = lower('Microsoft.Security/securitySolutions/write'))))
    GROUP BY a.account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN m.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN m.account_id IS NOT NULL THEN ' has activity log alerts ' || m.alert_names || ' for Microsoft.Security/securitySolutions/write'
        ELSE ' has no enabled subscription-wide activity log alert for Microsoft.Security/securitySolutions/write'
    END AS reason
FROM azure_subscription s
LEFT JOIN matching m ON m.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
