-- One result per storage account. Only an explicit false passes. NULL
-- fails: the service allows anonymous access when the property is not set,
-- which is how accounts created with storage API versions before 2023-01-01
-- report it until someone sets it.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN allow_blob_public_access = false THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN allow_blob_public_access = false THEN ' forbids anonymous access to its blobs'
        WHEN allow_blob_public_access IS NULL
            THEN ' does not set allowBlobPublicAccess, which the service treats as allowed: its containers can be made public'
        ELSE ' allows anonymous access: any container set to Blob or Container access is public'
    END AS reason
FROM azure_storage_account
