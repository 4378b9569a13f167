-- One result per subscription that is not Disabled or Deleted.
WITH bastion AS (
    SELECT account_id, string_agg(name, ', ' ORDER BY name) AS names
    FROM azure_resource
    WHERE type = 'microsoft.network/bastionhosts'
    GROUP BY account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN b.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN b.account_id IS NOT NULL THEN ' has Azure Bastion hosts ' || b.names
        ELSE ' has no Azure Bastion host'
    END AS reason
FROM azure_subscription s
LEFT JOIN bastion b ON b.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
