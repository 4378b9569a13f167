-- One result per storage account. The setting can only be chosen when the
-- account is created; NULL means false.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(require_infrastructure_encryption, false) THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN coalesce(require_infrastructure_encryption, false) THEN ' encrypts data a second time at the infrastructure level'
        ELSE ' encrypts data only once, at the service level'
    END AS reason
FROM azure_storage_account
