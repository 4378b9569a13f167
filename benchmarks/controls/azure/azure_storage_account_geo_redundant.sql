-- One result per storage account, judged by its SKU name.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN sku_name IN ('Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS') THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || ' uses ' || coalesce(sku_name, 'an unknown SKU') || CASE
        WHEN sku_name IN ('Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS') THEN ', which replicates to a second region'
        ELSE ', which keeps every copy in one region'
    END AS reason
FROM azure_storage_account
