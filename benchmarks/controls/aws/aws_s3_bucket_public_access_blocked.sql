-- One row per bucket. The control handles blind spots itself, so that a
-- bucket whose own block is complete passes when only the account's block
-- could not be read. Each of the four public access block settings is on
-- when the bucket's own block or the account's block turns it on, because
-- S3 applies the stricter of the two. NULL at either level means nothing is
-- configured there and counts as off. The bucket policy and ACL are not
-- read, because this control judges the guard, not the current exposure.
WITH coverage AS (
    -- Latest sync status of each account's partitions of both tables at
    -- the evaluated moment. A partition that the last sync could not read
    -- keeps its older rows, which may be stale.
    SELECT table_name, account_id, status
    FROM (
        SELECT p.table_name, p.account_id, p.status,
               row_number() OVER (PARTITION BY p.table_name, p.account_id ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name IN ('aws_s3_bucket', 'aws_s3_account_public_access_block')
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
settings AS (
    SELECT
        b.arn,
        b.name,
        b.account_id,
        b.region,
        coalesce(bc.status, 'ok') <> 'ok' AS bucket_stale,
        a.account_id IS NOT NULL AS account_block_read,
        [
            CASE WHEN NOT (coalesce(b.block_public_acls, false) OR coalesce(a.block_public_acls, false))
                THEN 'BlockPublicAcls' END,
            CASE WHEN NOT (coalesce(b.ignore_public_acls, false) OR coalesce(a.ignore_public_acls, false))
                THEN 'IgnorePublicAcls' END,
            CASE WHEN NOT (coalesce(b.block_public_policy, false) OR coalesce(a.block_public_policy, false))
                THEN 'BlockPublicPolicy' END,
            CASE WHEN NOT (coalesce(b.restrict_public_buckets, false) OR coalesce(a.restrict_public_buckets, false))
                THEN 'RestrictPublicBuckets' END
        ] AS setting_checks,
        coalesce(b.block_public_acls AND b.ignore_public_acls AND b.block_public_policy
            AND b.restrict_public_buckets, false) AS bucket_block_complete,
        coalesce(a.block_public_acls AND a.ignore_public_acls AND a.block_public_policy
            AND a.restrict_public_buckets, false) AS account_block_complete
    FROM aws_s3_bucket b
    LEFT JOIN coverage bc ON bc.table_name = 'aws_s3_bucket' AND bc.account_id = b.account_id
    LEFT JOIN coverage ac ON ac.table_name = 'aws_s3_account_public_access_block' AND ac.account_id = b.account_id
    -- A stale account-level row is ignored, as if it were missing.
    LEFT JOIN aws_s3_account_public_access_block a
        ON a.account_id = b.account_id AND coalesce(ac.status, 'ok') = 'ok'
),
judged AS (
    SELECT *, list_filter(setting_checks, setting -> setting IS NOT NULL) AS settings_off
    FROM settings
)
SELECT
    arn AS resource,
    name,
    account_id,
    region,
    CASE
        WHEN bucket_stale THEN 'skip'
        WHEN len(settings_off) = 0 THEN 'pass'
        -- Without the account's block, a setting that is off on the bucket
        -- may still be on for the whole account.
        WHEN NOT account_block_read THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN bucket_stale
            THEN 'not evaluated: the last sync could not read the buckets of account ' || account_id
                || ', so the settings of bucket ' || coalesce(name, arn) || ' may be stale'
        WHEN len(settings_off) = 0 THEN 'bucket ' || coalesce(name, arn) || ' has all four public access block settings on through '
            || CASE
                WHEN bucket_block_complete AND account_block_complete THEN 'both its own block and the account''s block'
                WHEN bucket_block_complete THEN 'its own block'
                WHEN account_block_complete THEN 'the account''s block'
                ELSE 'its own block and the account''s block together'
            END
        WHEN NOT account_block_read
            THEN 'not evaluated: bucket ' || name || ' has ' || array_to_string(settings_off, ', ')
                || ' not turned on (off or unknown), and the public access block of account ' || account_id || ' was not read'
        ELSE 'bucket ' || coalesce(name, arn) || ' has ' || array_to_string(settings_off, ', ')
            || ' off on both the bucket and account ' || account_id
    END AS reason
FROM judged
