-- One result per managed disk. dataAccessAuthMode is read from raw; only
-- AzureActiveDirectory passes, and NULL means None, the default.
WITH disk AS (
    SELECT *, json_extract_string(raw, '$.properties.dataAccessAuthMode') AS data_access_auth_mode
    FROM azure_compute_disk
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN data_access_auth_mode = 'AzureActiveDirectory' THEN 'pass' ELSE 'fail' END AS status,
    'disk ' || name || CASE
        WHEN data_access_auth_mode = 'AzureActiveDirectory' THEN ' requires a Microsoft Entra identity for export and upload URLs'
        ELSE ' hands out export and upload URLs without checking the caller''s Microsoft Entra identity'
    END AS reason
FROM disk
