-- Private zones resolve only inside VPC networks and get no result.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS zone,
    CASE WHEN lower(coalesce((raw->>'$.dnssecConfig.state'), 'off')) = 'on' THEN 'pass' ELSE 'fail' END AS status,
    'public zone ' || coalesce((raw->>'$.dnsName'), regexp_extract(asset_name, '[^/]+$')) || CASE
        WHEN lower(coalesce((raw->>'$.dnssecConfig.state'), 'off')) = 'on' THEN ' is signed with DNSSEC'
        ELSE ' has DNSSEC ' || lower(coalesce((raw->>'$.dnssecConfig.state'), 'off'))
    END AS reason
FROM gcp_dns_managed_zone
WHERE lower(coalesce((raw->>'$.visibility'), 'public')) = 'public'
