-- One row per DB instance. Aurora instances report the encryption of
-- their cluster. A NULL storage_encrypted is unknown and is skipped.
SELECT
    arn AS resource,
    db_instance_identifier,
    account_id,
    region,
    CASE
        WHEN storage_encrypted THEN 'pass'
        WHEN storage_encrypted = false THEN 'fail'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN storage_encrypted
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' encrypts its storage with '
                || coalesce(kms_key_id, 'a KMS key that was not reported')
        WHEN storage_encrypted = false
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' (' || coalesce(engine, 'engine not reported')
                || ') stores its data, backups and snapshots unencrypted'
        ELSE 'not evaluated: the storage encryption of DB instance ' || coalesce(db_instance_identifier, arn) || ' was not reported'
    END AS reason
FROM aws_rds_db_instance
