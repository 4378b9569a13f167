-- One result per storage account. defaultToOAuthAuthentication is read from
-- raw; NULL means false, the service default.
WITH account AS (
    SELECT *, TRY_CAST(json_extract_string(raw, '$.properties.defaultToOAuthAuthentication') AS BOOLEAN) AS default_to_oauth
    FROM azure_storage_account
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(default_to_oauth, false) THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN coalesce(default_to_oauth, false) THEN ' makes the portal use Microsoft Entra ID for data access'
        ELSE ' makes the portal read data with the account key'
    END AS reason
FROM account
