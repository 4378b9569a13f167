-- A PRIMARY address is the public one. Read replicas take the setting
-- from their primary and get no result.
WITH instance AS (
    SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS instance,
        list_filter(coalesce(from_json((raw->'$.ipAddresses'), '[{"type": "VARCHAR", "ipAddress": "VARCHAR"}]'), []),
                    lambda a: a.type = 'PRIMARY') AS public_addresses,
        (raw->>'$.settings.ipConfiguration.ipv4Enabled') = 'true' AS ipv4_enabled
    FROM gcp_sql_instance
    WHERE coalesce((raw->>'$.instanceType'), 'CLOUD_SQL_INSTANCE') <> 'READ_REPLICA_INSTANCE'
)
SELECT
    resource, account_id, region, project_id, instance,
    CASE WHEN len(public_addresses) > 0 OR coalesce(ipv4_enabled, false) THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || instance || CASE
        WHEN len(public_addresses) > 0 THEN ' has the public IP address ' || public_addresses[1].ipAddress
        WHEN coalesce(ipv4_enabled, false) THEN ' has public IPv4 enabled'
        ELSE ' has no public IP address'
    END AS reason
FROM instance
