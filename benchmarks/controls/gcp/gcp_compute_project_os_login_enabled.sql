-- One result per project with Compute Engine metadata. It passes when the
-- project's common metadata sets enable-oslogin to true (any case) and no
-- instance of the project sets it to false, which overrides the project.
-- GKE node instances are left out.
WITH project_setting AS (
    SELECT
        asset_name,
        account_id,
        region,
        (SELECT lower(m.value) FROM unnest(coalesce(from_json((raw->'$.commonInstanceMetadata.items'), '[{"key": "VARCHAR", "value": "VARCHAR"}]'), [])) AS t(m)
          WHERE m.key = 'enable-oslogin' LIMIT 1) AS oslogin
    FROM gcp_compute_project
),
instance_override AS (
    SELECT
        account_id,
        string_agg(regexp_extract(asset_name, '[^/]+$'), ', ' ORDER BY asset_name) AS instances
    FROM gcp_compute_instance
    WHERE NOT (regexp_extract(asset_name, '[^/]+$') LIKE 'gke-%' AND json_exists(raw, '$.labels."goog-gke-node"'))
      AND lower((SELECT m.value FROM unnest(coalesce(from_json((raw->'$.metadata.items'), '[{"key": "VARCHAR", "value": "VARCHAR"}]'), [])) AS t(m)
                 WHERE m.key = 'enable-oslogin' LIMIT 1)) = 'false'
    GROUP BY account_id
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    CASE WHEN p.oslogin = 'true' AND o.instances IS NULL THEN 'pass' ELSE 'fail' END AS status,
    'project ' || p.account_id || CASE
        WHEN p.oslogin IS NULL THEN ' does not set enable-oslogin in its metadata'
        WHEN p.oslogin <> 'true' THEN ' sets enable-oslogin to ' || p.oslogin
        WHEN o.instances IS NOT NULL THEN ' enables OS Login, but instances turn it off: ' || o.instances
        ELSE ' enables OS Login and no instance turns it off'
    END AS reason
FROM project_setting p
LEFT JOIN instance_override o ON o.account_id = p.account_id
