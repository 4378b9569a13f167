SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS network,
    CASE WHEN regexp_extract(asset_name, '[^/]+$') = 'default' THEN 'fail' ELSE 'pass' END AS status,
    'project ' || account_id || CASE
        WHEN regexp_extract(asset_name, '[^/]+$') = 'default' THEN ' has the default network'
        ELSE ' has network ' || regexp_extract(asset_name, '[^/]+$') || ', which is not the default network'
    END AS reason
FROM gcp_compute_network
