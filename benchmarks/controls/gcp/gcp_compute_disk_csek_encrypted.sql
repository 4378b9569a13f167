-- Only a customer-supplied key gives diskEncryptionKey a sha256 digest; a
-- Cloud KMS key gives kmsKeyName instead.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS disk,
    regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
    CASE WHEN coalesce((raw->>'$.diskEncryptionKey.sha256'), '') <> '' THEN 'pass' ELSE 'fail' END AS status,
    'disk ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN coalesce((raw->>'$.diskEncryptionKey.sha256'), '') <> '' THEN ' is encrypted with a customer-supplied key'
        WHEN (raw->>'$.diskEncryptionKey.kmsKeyName') IS NOT NULL THEN ' is encrypted with the Cloud KMS key ' || (raw->>'$.diskEncryptionKey.kmsKeyName') || ', not a customer-supplied key'
        ELSE ' is encrypted with a Google-managed key'
    END AS reason
FROM gcp_compute_disk
