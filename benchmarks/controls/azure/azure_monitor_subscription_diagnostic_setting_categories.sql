-- One result per subscription. One diagnostic setting of the activity log
-- must export Administrative, Alert, Policy and Security, by name or
-- through the allLogs category group, compared case-insensitively. The
-- reason names the categories that the best setting misses.
WITH setting AS (
    SELECT
        d.account_id,
        d.name,
        list_transform(coalesce(d.enabled_log_categories, []), c -> lower(c)) AS categories
    FROM azure_monitor_diagnostic_setting d
    WHERE d.resource_id = '/subscriptions/' || lower(d.account_id)
),
judged AS (
    SELECT
        account_id,
        name,
        CASE WHEN list_contains(categories, 'alllogs') THEN []
             ELSE list_filter(['administrative', 'alert', 'policy', 'security'], c -> NOT list_contains(categories, c))
        END AS missing
    FROM setting
),
best AS (
    SELECT account_id, arg_min(name, len(missing)) AS name, arg_min(missing, len(missing)) AS missing
    FROM judged
    GROUP BY account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN b.account_id IS NOT NULL AND len(b.missing) = 0 THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN b.account_id IS NULL THEN ' has no diagnostic setting for its activity log'
        WHEN len(b.missing) = 0 THEN ' exports the Administrative, Alert, Policy and Security categories through ' || b.name
        ELSE ' does not export the categories ' || array_to_string(b.missing, ', ') || ' (closest diagnostic setting: ' || b.name || ')'
    END AS reason
FROM azure_subscription s
LEFT JOIN best b ON b.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
