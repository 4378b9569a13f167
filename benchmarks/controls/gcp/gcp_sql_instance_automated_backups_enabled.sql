-- Read replicas cannot take backups and get no result.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS instance,
    CASE WHEN (raw->>'$.settings.backupConfiguration.enabled') = 'true' THEN 'pass' ELSE 'fail' END AS status,
    'instance ' || regexp_extract(asset_name, '[^/]+$')
        || CASE WHEN (raw->>'$.settings.backupConfiguration.enabled') = 'true'
                THEN ' takes automated backups starting at ' || coalesce((raw->>'$.settings.backupConfiguration.startTime'), 'an unreported time') || ' UTC'
                ELSE ' takes no automated backups' END AS reason
FROM gcp_sql_instance
WHERE coalesce((raw->>'$.instanceType'), 'CLOUD_SQL_INSTANCE') <> 'READ_REPLICA_INSTANCE'
