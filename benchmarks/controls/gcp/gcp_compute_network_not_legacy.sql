-- A legacy network has one IPv4Range for the whole network and neither
-- subnetworks nor autoCreateSubnetworks.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS network,
    CASE WHEN (raw->>'$.IPv4Range') IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'network ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN (raw->>'$.IPv4Range') IS NOT NULL THEN ' is a legacy network with range ' || (raw->>'$.IPv4Range')
        WHEN (raw->>'$.autoCreateSubnetworks') = 'true' THEN ' is an auto mode VPC network'
        ELSE ' is a custom mode VPC network'
    END AS reason
FROM gcp_compute_network
