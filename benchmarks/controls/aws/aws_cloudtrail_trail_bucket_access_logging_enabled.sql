-- One row per trail, in the account that owns it, because a member account
-- also lists its organization's trail, whose ARN names the management
-- account.
-- The trail's bucket is looked up by name among the buckets of every
-- synced account, because it often lives in a separate log archive
-- account. A bucket found in no synced account gives skip.
WITH bucket_coverage AS (
    -- Latest sync status of each account's bucket list at the evaluated
    -- moment. The engine checks blind spots in the trail's own account
    -- only, so a bucket of another account is checked here, because its
    -- row may be stale when the last sync could not read that account.
    SELECT account_id, status
    FROM (
        SELECT p.account_id, p.status,
               row_number() OVER (PARTITION BY p.account_id ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name = 'aws_s3_bucket'
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
buckets AS (
    -- Bucket names are globally unique, so a name matches one bucket.
    SELECT
        b.name,
        any_value(b.account_id) AS bucket_account_id,
        any_value(b.logging_target_bucket) AS logging_target_bucket,
        bool_or(coalesce(c.status, 'ok') <> 'ok') AS stale
    FROM aws_s3_bucket b
    LEFT JOIN bucket_coverage c ON c.account_id = b.account_id
    GROUP BY b.name
)
SELECT
    t.arn AS resource,
    t.name,
    t.s3_bucket_name,
    t.account_id,
    t.region,
    CASE
        WHEN t.s3_bucket_name IS NULL OR b.name IS NULL OR b.stale THEN 'skip'
        WHEN b.logging_target_bucket IS NOT NULL THEN 'pass'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN t.s3_bucket_name IS NULL
            THEN 'not evaluated: the log bucket of trail ' || coalesce(t.name, t.arn) || ' was not reported'
        WHEN b.name IS NULL
            THEN 'not evaluated: bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn)
                || ' is not among the buckets of the synced accounts'
        WHEN b.stale
            THEN 'not evaluated: the last sync could not read the buckets of account ' || b.bucket_account_id
                || ', so the settings of bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn)
                || ' may be stale'
        WHEN b.logging_target_bucket IS NOT NULL
            THEN 'bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn)
                || ' writes server access logs to bucket ' || b.logging_target_bucket
        ELSE 'bucket ' || t.s3_bucket_name || ' of trail ' || coalesce(t.name, t.arn) || ' in account '
            || b.bucket_account_id || ' has server access logging off'
    END AS reason
FROM aws_cloudtrail_trail t
LEFT JOIN buckets b ON b.name = t.s3_bucket_name
WHERE split_part(t.arn, ':', 5) = t.account_id
