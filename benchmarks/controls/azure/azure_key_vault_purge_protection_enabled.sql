-- One result per key vault. Purge protection must be true. Soft delete must
-- not be explicitly false: NULL passes, because Azure enables it on every
-- vault and older API versions leave the property out.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(enable_purge_protection, false) AND coalesce(enable_soft_delete, true) THEN 'pass' ELSE 'fail' END AS status,
    'key vault ' || name || CASE
        WHEN enable_soft_delete = false THEN ' has soft delete disabled, so a deleted vault is lost at once'
        WHEN coalesce(enable_purge_protection, false)
            THEN ' has purge protection, so deleted objects are kept for ' || coalesce(soft_delete_retention_in_days::VARCHAR, '90') || ' days'
        ELSE ' has no purge protection, so a deleted vault or object can be purged at once'
    END AS reason
FROM azure_key_vault
