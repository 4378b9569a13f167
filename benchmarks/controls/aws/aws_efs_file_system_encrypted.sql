-- One row per EFS file system that is not being deleted. A NULL encrypted
-- is unknown and is skipped.
SELECT
    arn AS resource,
    file_system_id,
    account_id,
    region,
    CASE
        WHEN encrypted THEN 'pass'
        WHEN encrypted = false THEN 'fail'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN encrypted
            THEN 'file system ' || coalesce(file_system_id, arn) || ' encrypts data at rest with '
                || coalesce(kms_key_id, 'a KMS key that was not reported')
        WHEN encrypted = false
            THEN 'file system ' || coalesce(file_system_id, arn) || coalesce(' (' || name || ')', '')
                || ' stores its data at rest unencrypted'
        ELSE 'not evaluated: the encryption of file system ' || coalesce(file_system_id, arn) || ' was not reported'
    END AS reason
FROM aws_efs_file_system
WHERE lower(coalesce(life_cycle_state, '')) NOT IN ('deleting', 'deleted')
