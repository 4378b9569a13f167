-- One row per trail, in the account that owns it, because a member account
-- also lists its organization's trail, whose ARN names the management
-- account.
-- A NULL log_file_validation_enabled is unknown and is skipped.
SELECT
    arn AS resource,
    name,
    coalesce(home_region, region) AS home_region,
    account_id,
    region,
    CASE
        WHEN log_file_validation_enabled THEN 'pass'
        WHEN log_file_validation_enabled = false THEN 'fail'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN log_file_validation_enabled
            THEN 'trail ' || coalesce(name, arn) || ' writes signed digest files to validate its log files'
        WHEN log_file_validation_enabled = false
            THEN 'trail ' || coalesce(name, arn) || ' writes no digest files, so changes to its log files cannot be detected'
        ELSE 'not evaluated: the log file validation setting of trail ' || coalesce(name, arn) || ' was not reported'
    END AS reason
FROM aws_cloudtrail_trail
WHERE split_part(arn, ':', 5) = account_id
