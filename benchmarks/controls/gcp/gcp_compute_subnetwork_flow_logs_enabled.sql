-- Subnetworks of a special purpose (proxy-only, Private Service Connect and
-- others) cannot log flows and get no result. Older records set
-- enableFlowLogs instead of logConfig.enable; either turns logging on. An
-- unset aggregation interval, sampling or metadata takes the API defaults
-- (INTERVAL_5_SEC, 0.5 and INCLUDE_ALL_METADATA), so unset sampling fails.
WITH subnet AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS subnetwork,
        coalesce((raw->>'$.logConfig.enable') = 'true' OR (raw->>'$.enableFlowLogs') = 'true', false) AS enabled,
        coalesce((raw->>'$.logConfig.aggregationInterval'), 'INTERVAL_5_SEC') AS aggregation_interval,
        coalesce(try_cast((raw->>'$.logConfig.flowSampling') AS DOUBLE), 0.5) AS flow_sampling,
        coalesce((raw->>'$.logConfig.metadata'), 'INCLUDE_ALL_METADATA') AS metadata,
        (raw->>'$.logConfig.filterExpr') AS filter_expr
    FROM gcp_compute_subnetwork
    WHERE coalesce((raw->>'$.purpose'), 'PRIVATE') IN ('PRIVATE', 'PRIVATE_RFC_1918')
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    subnetwork,
    CASE WHEN enabled AND aggregation_interval = 'INTERVAL_5_SEC' AND flow_sampling >= 1
              AND metadata = 'INCLUDE_ALL_METADATA' AND coalesce(filter_expr, '') IN ('', 'true')
         THEN 'pass' ELSE 'fail' END AS status,
    'subnetwork ' || subnetwork || CASE
        WHEN NOT enabled THEN ' has flow logs off'
        WHEN aggregation_interval <> 'INTERVAL_5_SEC' THEN ' logs flows every ' || aggregation_interval || ', not every 5 seconds'
        WHEN flow_sampling < 1 THEN ' samples ' || flow_sampling || ' of flows, not all of them'
        WHEN metadata <> 'INCLUDE_ALL_METADATA' THEN ' logs flows with metadata ' || metadata
        WHEN coalesce(filter_expr, '') NOT IN ('', 'true') THEN ' logs only flows that match ' || filter_expr
        ELSE ' logs every flow every 5 seconds with all metadata'
    END AS reason
FROM subnet
