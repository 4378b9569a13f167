-- The metadata value is compared case-insensitively: Compute Engine reads
-- TRUE, True and true alike.
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
        (SELECT lower(m.value) FROM unnest(coalesce(from_json((raw->'$.metadata.items'), '[{"key": "VARCHAR", "value": "VARCHAR"}]'), [])) AS t(m)
          WHERE m.key = 'block-project-ssh-keys' LIMIT 1) AS block_value
    FROM gcp_compute_instance
    WHERE NOT (regexp_extract(asset_name, '[^/]+$') LIKE 'gke-%' AND json_exists(raw, '$.labels."goog-gke-node"'))
)
SELECT
    resource, account_id, region, project_id, instance, zone,
    CASE WHEN block_value = 'true' THEN 'pass' ELSE 'fail' END AS status,
    'instance ' || instance || CASE
        WHEN block_value = 'true' THEN ' blocks project-wide SSH keys'
        WHEN block_value IS NULL THEN ' does not set block-project-ssh-keys, so project-wide SSH keys open it'
        ELSE ' sets block-project-ssh-keys to ' || block_value
    END AS reason
FROM instance
