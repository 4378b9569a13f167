-- An access config on a network interface gives the instance an external
-- address, whether natIP is reported (running or static) or not (a stopped
-- instance with an ephemeral address).
-- Instances that GKE creates for its nodes (name gke-*, label goog-gke-node)
-- are managed by GKE and are not judged.
WITH instance AS (
    SELECT
        asset_name AS resource,
        account_id,
        region,
        account_id AS project_id,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
        flatten(list_transform(
            coalesce(from_json((raw->'$.networkInterfaces'), '[{"name": "VARCHAR", "accessConfigs": [{"name": "VARCHAR", "natIP": "VARCHAR"}]}]'), []),
            lambda n: coalesce(n.accessConfigs, []))) AS access_configs
    FROM gcp_compute_instance
    WHERE NOT (regexp_extract(asset_name, '[^/]+$') LIKE 'gke-%' AND json_exists(raw, '$.labels."goog-gke-node"'))
)
SELECT
    resource, account_id, region, project_id, instance, zone,
    coalesce(access_configs[1].name, 'External NAT') AS access_config_name,
    CASE WHEN len(access_configs) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || instance || CASE
        WHEN len(access_configs) > 0 THEN ' has an external IP address ' || coalesce(access_configs[1].natIP, '(ephemeral, assigned at start)')
        ELSE ' has no external IP address'
    END AS reason
FROM instance
