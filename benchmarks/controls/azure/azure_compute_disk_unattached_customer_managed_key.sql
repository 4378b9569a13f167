-- One result per managed disk not attached to any virtual machine. A disk
-- passes when server-side encryption uses a customer-managed key (alone or
-- with the platform key) or when Azure Disk Encryption is enabled in the
-- guest, which also keeps its keys in the customer's key vault.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN encryption_type IN ('EncryptionAtRestWithCustomerKey', 'EncryptionAtRestWithPlatformAndCustomerKeys') THEN 'pass'
        WHEN coalesce(encryption_settings_enabled, false) THEN 'pass'
        ELSE 'fail'
    END AS status,
    'disk ' || name || CASE
        WHEN encryption_type IN ('EncryptionAtRestWithCustomerKey', 'EncryptionAtRestWithPlatformAndCustomerKeys')
            THEN ' is encrypted with the customer-managed key of disk encryption set ' || coalesce(disk_encryption_set_id, '?')
        WHEN coalesce(encryption_settings_enabled, false) THEN ' is encrypted in the guest by Azure Disk Encryption'
        ELSE ' is encrypted only with a platform-managed key (' || coalesce(encryption_type, 'type not reported') || ')'
    END AS reason
FROM azure_compute_disk
WHERE managed_by IS NULL
