-- The default compute service account is PROJECT_NUMBER-compute@developer.gserviceaccount.com.
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
        list_filter(coalesce(from_json((raw->'$.serviceAccounts'), '[{"email": "VARCHAR"}]'), []),
                    lambda s: s.email LIKE '%-compute@developer.gserviceaccount.com') AS default_accounts
    FROM gcp_compute_instance
    WHERE NOT (regexp_extract(asset_name, '[^/]+$') LIKE 'gke-%' AND json_exists(raw, '$.labels."goog-gke-node"'))
)
SELECT
    resource, account_id, region, project_id, instance, zone,
    CASE WHEN len(default_accounts) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || instance || CASE
        WHEN len(default_accounts) > 0 THEN ' runs as the default compute service account ' || default_accounts[1].email
        ELSE ' does not run as the default compute service account'
    END AS reason
FROM instance
