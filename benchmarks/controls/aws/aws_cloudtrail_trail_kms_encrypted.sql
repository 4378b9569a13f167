-- One row per trail, in the account that owns it, because a member account
-- also lists its organization's trail, whose ARN names the management
-- account.
-- A trail without a KMS key uses SSE-S3 alone and fails.
SELECT
    arn AS resource,
    name,
    coalesce(home_region, region) AS home_region,
    account_id,
    region,
    CASE WHEN kms_key_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    CASE
        WHEN kms_key_id IS NOT NULL
            THEN 'trail ' || coalesce(name, arn) || ' encrypts its log files with the KMS key ' || kms_key_id
        ELSE 'trail ' || coalesce(name, arn) || ' encrypts its log files with SSE-S3 only, not with a KMS key'
    END AS reason
FROM aws_cloudtrail_trail
WHERE split_part(arn, ':', 5) = account_id
