-- One result per storage account. Only an explicit false passes, because
-- accounts created before December 2023 allow cross-tenant replication when
-- the property is not set.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN allow_cross_tenant_replication = false THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN allow_cross_tenant_replication = false THEN ' forbids object replication to other tenants'
        WHEN allow_cross_tenant_replication IS NULL THEN ' does not set allowCrossTenantReplication, which older accounts treat as allowed'
        ELSE ' allows object replication to accounts in other tenants'
    END AS reason
FROM azure_storage_account
