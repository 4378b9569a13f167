-- A key id can be an ARN, a key id or an alias; match on the key id part.
WITH stores AS (
    SELECT arn AS resource, account_id, region, 'bucket ' || name AS what, default_encryption_kms_key_id AS key_ref
    FROM aws_s3_bucket
    UNION ALL
    SELECT arn, account_id, region, 'database ' || db_instance_identifier,
           CASE WHEN storage_encrypted THEN kms_key_id END
    FROM aws_rds_db_instance
    UNION ALL
    SELECT arn, account_id, region, 'volume ' || volume_id, CASE WHEN encrypted THEN kms_key_id END
    FROM aws_ebs_volume
)
SELECT
    s.resource,
    s.account_id,
    s.region,
    CASE WHEN k.key_manager = 'CUSTOMER' THEN 'pass' ELSE 'fail' END AS status,
    CASE
        WHEN s.key_ref IS NULL THEN s.what || ' is not encrypted with a KMS key'
        WHEN k.key_id IS NULL THEN s.what || ' uses key ' || s.key_ref || ', which is not in the synced key list'
        WHEN k.key_manager = 'CUSTOMER' THEN s.what || ' uses customer-managed key ' || k.key_id
        ELSE s.what || ' uses AWS-managed key ' || k.key_id
    END AS reason
FROM stores s
LEFT JOIN aws_kms_key k
       ON k.account_id = s.account_id
      AND (s.key_ref = k.arn OR s.key_ref = k.key_id OR s.key_ref LIKE '%:key/' || k.key_id)
