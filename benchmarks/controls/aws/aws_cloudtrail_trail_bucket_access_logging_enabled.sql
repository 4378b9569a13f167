-- One row per trail, in the account that owns it, because a member account
-- also lists its organization's trail, whose ARN names the management
-- account.
-- The trail's bucket is looked up by name among the buckets of every
-- synced account, because it often lives in a separate log archive
-- account. A bucket found in no synced account gives skip.
WITH buckets AS (
    -- Bucket names are globally unique, so a name matches one bucket.
    SELECT name, any_value(account_id) AS bucket_account_id, any_value(logging_target_bucket) AS logging_target_bucket
    FROM aws_s3_bucket
    GROUP BY name
)
SELECT
    t.arn AS resource,
    t.name,
    t.s3_bucket_name,
    t.account_id,
    t.region,
    CASE
        WHEN t.s3_bucket_name IS NULL OR b.name IS NULL THEN 'skip'
        WHEN b.logging_target_bucket IS NOT NULL THEN 'pass'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN t.s3_bucket_name IS NULL
            THEN 'not evaluated: the log bucket of trail ' || coalesce(t.name, t.arn) || ' was not reported'
        WHEN b.name IS NULL
            THEN 'not evaluated: bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn)
                || ' is not among the buckets of the synced accounts'
        WHEN b.logging_target_bucket IS NOT NULL
            THEN 'bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn)
                || ' writes server access logs to bucket ' || b.logging_target_bucket
        ELSE 'bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn) || ' in account '
            || b.bucket_account_id || ' has server access logging off'
    END AS reason
FROM aws_cloudtrail_trail t
LEFT JOIN buckets b ON b.name = t.s3_bucket_name
WHERE split_part(t.arn, ':', 5) = t.account_id
