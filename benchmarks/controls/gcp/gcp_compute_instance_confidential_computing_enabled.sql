SELECT
        asset_name AS resource,
        account_id,
        region,
        account_id AS project_id,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
    CASE WHEN (raw->>'$.confidentialInstanceConfig.enableConfidentialCompute') = 'true' THEN 'pass' ELSE 'fail' END AS status,
    'instance ' || regexp_extract(asset_name, '[^/]+$')
        || CASE WHEN (raw->>'$.confidentialInstanceConfig.enableConfidentialCompute') = 'true' THEN ' is a Confidential VM' ELSE ' is not a Confidential VM' END AS reason
FROM gcp_compute_instance
