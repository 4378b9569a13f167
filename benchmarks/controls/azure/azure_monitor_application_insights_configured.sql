-- One result per subscription that is not Disabled or Deleted.
WITH component AS (
    SELECT account_id, count(*) AS components
    FROM azure_resource
    WHERE type = 'microsoft.insights/components'
    GROUP BY account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN c.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN c.account_id IS NOT NULL THEN ' has ' || c.components || ' Application Insights resources'
        ELSE ' has no Application Insights resource'
    END AS reason
FROM azure_subscription s
LEFT JOIN component c ON c.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
