-- One result per Databricks workspace; the setting is read from the
-- properties that Resource Graph returns.
WITH workspace AS (
    SELECT *, coalesce(len(list_filter(coalesce(json_extract_string(properties, '$.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status'), []), s -> lower(s) = 'approved')), 0) > 0 AS ok
    FROM azure_resource
    WHERE type = 'microsoft.databricks/workspaces'
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    arm_id,
    CASE WHEN ok THEN 'pass' ELSE 'fail' END AS status,
    'Databricks workspace ' || name || CASE WHEN ok THEN ' has an approved private endpoint connection' ELSE ' has no approved private endpoint connection' END AS reason
FROM workspace
