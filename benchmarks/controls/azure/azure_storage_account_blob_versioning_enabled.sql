-- One result per storage account that has a blob service: FileStorage
-- accounts have none and get no result. The setting comes from the blob
-- service properties, which the sync reads with a separate call, so a NULL
-- value means they could not be read and gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN blob_versioning_enabled IS NULL THEN 'skip'
        WHEN blob_versioning_enabled THEN 'pass'
        ELSE 'fail'
    END AS status,
    'storage account ' || name || CASE
        WHEN blob_versioning_enabled IS NULL THEN ' was not evaluated: the blob versioning setting of its blob service was not synced'
        WHEN blob_versioning_enabled THEN ' keeps previous versions of its blobs'
        ELSE ' does not keep previous versions of its blobs (versioning is off)'
    END AS reason
FROM azure_storage_account
WHERE coalesce(kind, '') <> 'FileStorage'
