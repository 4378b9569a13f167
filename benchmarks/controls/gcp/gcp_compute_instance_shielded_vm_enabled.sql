SELECT
        asset_name AS resource,
        account_id,
        region,
        account_id AS project_id,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
    CASE WHEN (raw->>'$.shieldedInstanceConfig.enableVtpm') = 'true'
              AND (raw->>'$.shieldedInstanceConfig.enableIntegrityMonitoring') = 'true'
         THEN 'pass' ELSE 'fail' END AS status,
    'instance ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN (raw->'$.shieldedInstanceConfig') IS NULL THEN ' has no Shielded VM configuration'
        ELSE ' has vTPM ' || CASE WHEN (raw->>'$.shieldedInstanceConfig.enableVtpm') = 'true' THEN 'on' ELSE 'off' END
            || ' and integrity monitoring ' || CASE WHEN (raw->>'$.shieldedInstanceConfig.enableIntegrityMonitoring') = 'true' THEN 'on' ELSE 'off' END
    END AS reason
FROM gcp_compute_instance
