-- One result per storage account. NULL means allowed, the service default.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN allow_shared_key_access = false THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN allow_shared_key_access = false THEN ' rejects Shared Key authorization'
        WHEN allow_shared_key_access IS NULL THEN ' does not set allowSharedKeyAccess, so its account keys authorize requests'
        ELSE ' accepts requests authorized with its account keys'
    END AS reason
FROM azure_storage_account
