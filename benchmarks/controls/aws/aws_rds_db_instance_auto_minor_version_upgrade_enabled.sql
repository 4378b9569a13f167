-- One row per DB instance. A NULL auto_minor_version_upgrade is unknown
-- and is skipped.
SELECT
    arn AS resource,
    db_instance_identifier,
    account_id,
    region,
    CASE
        WHEN auto_minor_version_upgrade THEN 'pass'
        WHEN auto_minor_version_upgrade = false THEN 'fail'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN auto_minor_version_upgrade
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' applies minor engine upgrades in its maintenance window'
        WHEN auto_minor_version_upgrade = false
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' stays on ' || coalesce(engine, 'its engine') || ' '
                || coalesce(engine_version, '(version not reported)') || ' until someone upgrades it by hand'
        ELSE 'not evaluated: the automatic minor version upgrade setting of DB instance '
            || db_instance_identifier || ' was not reported'
    END AS reason
FROM aws_rds_db_instance
