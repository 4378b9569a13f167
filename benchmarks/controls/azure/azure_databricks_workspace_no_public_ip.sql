-- One result per Databricks workspace; the setting is read from the
-- properties that Resource Graph returns.
WITH workspace AS (
    SELECT *, coalesce(TRY_CAST(json_extract_string(properties, '$.parameters.enableNoPublicIp.value') AS BOOLEAN), false) AS ok
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
    'Databricks workspace ' || name || CASE WHEN ok THEN ' gives its cluster nodes no public IP addresses' ELSE ' gives its cluster nodes public IP addresses' END AS reason
FROM workspace
