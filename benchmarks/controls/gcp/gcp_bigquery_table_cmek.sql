-- BigQuery tables have no modelled table, so this control reads their
-- Cloud Asset Inventory records in gcp_asset. Assets without resource data
-- (IAM-only exports) get no result, because their encryption is unknown.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, 'datasets/([^/]+)/tables/', 1) AS dataset,
    regexp_extract(asset_name, '[^/]+$') AS table_name,
    CASE WHEN coalesce((raw->>'$.encryptionConfiguration.kmsKeyName'), '') <> '' THEN 'pass' ELSE 'fail' END AS status,
    'table ' || regexp_extract(asset_name, 'datasets/([^/]+)/tables/', 1) || '.' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN coalesce((raw->>'$.encryptionConfiguration.kmsKeyName'), '') <> '' THEN ' is encrypted with ' || (raw->>'$.encryptionConfiguration.kmsKeyName')
        ELSE ' is encrypted with a Google-managed key'
    END AS reason
FROM gcp_asset
WHERE asset_type = 'bigquery.googleapis.com/Table'
  AND raw IS NOT NULL
