-- One result per Databricks workspace; the setting is read from the
-- properties that Resource Graph returns.
WITH workspace AS (
    SELECT *, json_extract_string(properties, '$.parameters.customVirtualNetworkId.value') IS NOT NULL AS ok
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
    'Databricks workspace ' || name || CASE WHEN ok THEN ' runs in a customer-managed virtual network' ELSE ' runs in a virtual network that Databricks manages' END AS reason
FROM workspace
