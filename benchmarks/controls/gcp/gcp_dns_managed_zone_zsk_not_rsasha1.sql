-- Judges the zone-signing key specs of every zone with DNSSEC on. Zones with
-- DNSSEC off or in transfer get no result, because
-- gcp_dns_managed_zone_dnssec_enabled reports them.
WITH signed AS (
    SELECT
        asset_name,
        account_id,
        region,
        coalesce((raw->>'$.name'), regexp_extract(asset_name, '[^/]+$')) AS zone,
        coalesce((raw->>'$.dnsName'), (raw->>'$.name'), asset_name) AS dns_name,
        list_filter(coalesce(from_json((raw->'$.dnssecConfig.defaultKeySpecs'), '[{"keyType": "VARCHAR", "algorithm": "VARCHAR"}]'), []),
                    lambda k: k.keyType = 'zoneSigning') AS specs
    FROM gcp_dns_managed_zone
    WHERE lower(coalesce((raw->>'$.dnssecConfig.state'), 'off')) = 'on'
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    zone,
    CASE WHEN len(list_filter(specs, lambda k: lower(k.algorithm) = 'rsasha1')) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'zone ' || dns_name || CASE
        WHEN len(list_filter(specs, lambda k: lower(k.algorithm) = 'rsasha1')) > 0 THEN ' signs with an RSASHA1 zone-signing key'
        WHEN len(specs) = 0 THEN ' reports no zone-signing key spec, so Cloud DNS uses its default, RSASHA256'
        ELSE ' signs its zone-signing key with ' || array_to_string(list_transform(specs, lambda k: k.algorithm), ', ')
    END AS reason
FROM signed
