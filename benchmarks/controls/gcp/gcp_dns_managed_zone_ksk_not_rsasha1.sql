-- Judges the key-signing key specs of every zone that has DNSSEC on or lists
-- key specs. Specs of a zone with DNSSEC off still count, because Cloud DNS
-- signs with them as soon as DNSSEC is turned on. The key type is written
-- keySigning and zoneSigning in the v1 API and KEY_SIGNING and ZONE_SIGNING
-- in other versions, so both forms are read.
WITH zone AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS zone,
        coalesce((raw->>'$.dnsName'), regexp_extract(asset_name, '[^/]+$')) AS dns_name,
        lower(coalesce((raw->>'$.dnssecConfig.state'), 'off')) AS state,
        list_filter(coalesce(from_json((raw->'$.dnssecConfig.defaultKeySpecs'), '[{"keyType": "VARCHAR", "algorithm": "VARCHAR"}]'), []),
                    lambda k: replace(lower(k.keyType), '_', '') = 'keysigning') AS specs
    FROM gcp_dns_managed_zone
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    zone,
    CASE WHEN len(list_filter(specs, lambda k: lower(k.algorithm) = 'rsasha1')) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'zone ' || dns_name || CASE
        WHEN len(list_filter(specs, lambda k: lower(k.algorithm) = 'rsasha1')) > 0
            THEN ' has an RSASHA1 key-signing key' || CASE WHEN state = 'on' THEN '' ELSE ' for when DNSSEC is turned on (now ' || state || ')' END
        WHEN len(specs) = 0 THEN ' reports no key-signing key spec, so Cloud DNS uses its default, RSASHA256'
        ELSE ' signs its key-signing key with ' || array_to_string(list_transform(specs, lambda k: k.algorithm), ', ')
    END AS reason
FROM zone
WHERE state = 'on' OR len(specs) > 0
