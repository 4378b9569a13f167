-- One row per bucket. Each of the four public access block settings is on
-- when the bucket's own block or the account's block turns it on, because
-- S3 applies the stricter of the two. NULL at either level means nothing is
-- configured there and counts as off. The bucket policy and ACL are not
-- read, because this control judges the guard, not the current exposure.
WITH settings AS (
    SELECT
        b.arn,
        b.name,
        b.account_id,
        b.region,
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
    LEFT JOIN aws_s3_account_public_access_block a ON a.account_id = b.account_id
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
        WHEN len(settings_off) = 0 THEN 'pass'
        -- Without the account's block, a setting that is off on the bucket
        -- may still be on for the whole account.
        WHEN NOT account_block_read THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN len(settings_off) = 0 THEN 'bucket ' || coalesce(name, arn) || ' has all four public access block settings on through '
            || CASE
                WHEN bucket_block_complete AND account_block_complete THEN 'both its own block and the account''s block'
                WHEN bucket_block_complete THEN 'its own block'
                WHEN account_block_complete THEN 'the account''s block'
                ELSE 'its own block and the account''s block together'
            END
        WHEN NOT account_block_read
            THEN 'not evaluated: bucket ' || name || ' has ' || array_to_string(settings_off, ', ')
                || ' off, and the public access block of account ' || account_id || ' was not read'
        ELSE 'bucket ' || coalesce(name, arn) || ' has ' || array_to_string(settings_off, ', ')
            || ' off on both the bucket and account ' || account_id
    END AS reason
FROM judged
