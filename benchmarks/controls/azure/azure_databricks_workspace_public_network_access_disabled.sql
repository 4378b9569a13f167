-- One result per Databricks workspace; the setting is read from the
-- properties that Resource Graph returns.
WITH workspace AS (
    SELECT *, lower(coalesce(json_extract_string(properties, '$.publicNetworkAccess'), 'Enabled')) = 'disabled' AS ok
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
    'Databricks workspace ' || name || CASE WHEN ok THEN ' has public network access disabled' ELSE ' is reachable from the Internet (public network access not Disabled)' END AS reason
FROM workspace
