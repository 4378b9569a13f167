-- Dataproc clusters have no modelled table, so this control reads their
-- Cloud Asset Inventory records in gcp_asset. Assets without resource data
-- get no result, because their encryption is unknown.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS cluster,
    regexp_extract(asset_name, 'regions/([^/]+)/', 1) AS cluster_region,
    CASE WHEN coalesce((raw->>'$.config.encryptionConfig.gcePdKmsKeyName'), '') <> '' THEN 'pass' ELSE 'fail' END AS status,
    'cluster ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN coalesce((raw->>'$.config.encryptionConfig.gcePdKmsKeyName'), '') <> ''
            THEN ' encrypts its disks with ' || (raw->>'$.config.encryptionConfig.gcePdKmsKeyName')
        ELSE ' encrypts its disks with a Google-managed key'
    END AS reason
FROM gcp_asset
WHERE asset_type = 'dataproc.googleapis.com/Cluster'
  AND raw IS NOT NULL
