-- Older records name the setting bucketPolicyOnly.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS bucket,
    CASE WHEN coalesce((raw->>'$.iamConfiguration.uniformBucketLevelAccess.enabled'), (raw->>'$.iamConfiguration.bucketPolicyOnly.enabled')) = 'true'
         THEN 'pass' ELSE 'fail' END AS status,
    'bucket ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN coalesce((raw->>'$.iamConfiguration.uniformBucketLevelAccess.enabled'), (raw->>'$.iamConfiguration.bucketPolicyOnly.enabled')) = 'true'
            THEN ' uses uniform bucket-level access'
        ELSE ' uses fine-grained access, so object ACLs also grant access'
    END AS reason
FROM gcp_storage_bucket
