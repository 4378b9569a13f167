SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    coalesce((raw->>'$.datasetReference.datasetId'), regexp_extract(asset_name, '[^/]+$')) AS dataset,
    CASE WHEN coalesce((raw->>'$.defaultEncryptionConfiguration.kmsKeyName'), '') <> '' THEN 'pass' ELSE 'fail' END AS status,
    'dataset ' || coalesce((raw->>'$.datasetReference.datasetId'), regexp_extract(asset_name, '[^/]+$')) || CASE
        WHEN coalesce((raw->>'$.defaultEncryptionConfiguration.kmsKeyName'), '') <> '' THEN ' encrypts new tables with ' || (raw->>'$.defaultEncryptionConfiguration.kmsKeyName')
        ELSE ' has no default customer-managed key, so new tables use Google-managed encryption'
    END AS reason
FROM gcp_bigquery_dataset
