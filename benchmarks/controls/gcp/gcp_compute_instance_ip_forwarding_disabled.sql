-- Instances that GKE creates for its nodes (name gke-*, label goog-gke-node)
-- are managed by GKE and are not judged.
SELECT
        asset_name AS resource,
        account_id,
        region,
        account_id AS project_id,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
    CASE WHEN (raw->>'$.canIpForward') = 'true' THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || regexp_extract(asset_name, '[^/]+$')
        || CASE WHEN (raw->>'$.canIpForward') = 'true' THEN ' has IP forwarding on (canIpForward true)' ELSE ' does not forward IP packets' END AS reason
FROM gcp_compute_instance
    WHERE NOT (regexp_extract(asset_name, '[^/]+$') LIKE 'gke-%' AND json_exists(raw, '$.labels."goog-gke-node"'))
