-- An enabled ingress rule opens SSH to the internet when its source ranges
-- include 0.0.0.0/0 or ::/0 and one of its allowed entries covers tcp port
-- 22. An entry covers it with protocol tcp (or 6) or all and no ports, which
-- means every port, or with a port or range that contains 22. Target tags
-- and target service accounts narrow the instances a rule applies to, not
-- who may connect, so they do not make a rule pass. Egress rules get no
-- result. Older exports name some fields sourceRange, ipProtocol and
-- port, so those are read too.
WITH rule AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS firewall,
        coalesce((raw->>'$.disabled') = 'true', false) AS disabled,
        coalesce(from_json((raw->'$.sourceRanges'), '["VARCHAR"]'), from_json((raw->'$.sourceRange'), '["VARCHAR"]'), []) AS source_ranges,
        -- DuckDB matches struct field names case-insensitively, so the
        -- entries stay JSON until the two spellings of the protocol are read.
        list_transform(
            coalesce(from_json((raw->'$.allowed'), '["JSON"]'), []),
            lambda a: {'IPProtocol': coalesce((a->>'$.IPProtocol'), (a->>'$.ipProtocol')),
                       'ports': coalesce(from_json((a->'$.ports'), '["VARCHAR"]'), from_json((a->'$.port'), '["VARCHAR"]'))}) AS allowed,
        coalesce(from_json((raw->'$.targetTags'), '["VARCHAR"]'), []) AS target_tags,
        coalesce(from_json((raw->'$.targetServiceAccounts'), '["VARCHAR"]'), []) AS target_service_accounts
    FROM gcp_compute_firewall
    WHERE coalesce((raw->>'$.direction'), 'INGRESS') = 'INGRESS'
),
opening AS (
    SELECT
        asset_name,
        string_agg(
            lower(entry.IPProtocol) || CASE WHEN len(coalesce(entry.ports, [])) = 0 THEN ' (every port)'
                                            ELSE ':' || array_to_string(entry.ports, ',') END,
            ', ') AS opened
    FROM rule, unnest(allowed) AS t(entry)
    WHERE lower(entry.IPProtocol) IN ('tcp', '6', 'all')
      AND (len(coalesce(entry.ports, [])) = 0
           OR len(list_filter(entry.ports, lambda p:
                  CASE WHEN contains(p, '-')
                       THEN try_cast(split_part(p, '-', 1) AS INTEGER) <= 22 AND try_cast(split_part(p, '-', 2) AS INTEGER) >= 22
                       ELSE try_cast(p AS INTEGER) = 22 END)) > 0)
    GROUP BY asset_name
)
SELECT
    r.asset_name AS resource,
    r.account_id,
    r.region,
    r.account_id AS project_id,
    r.firewall,
    CASE
        WHEN r.disabled THEN 'pass'
        WHEN o.opened IS NOT NULL AND list_has_any(r.source_ranges, ['0.0.0.0/0', '::/0']) THEN 'fail'
        ELSE 'pass'
    END AS status,
    'firewall rule ' || r.firewall || CASE
        WHEN r.disabled THEN ' is disabled'
        WHEN o.opened IS NOT NULL AND list_has_any(r.source_ranges, ['0.0.0.0/0', '::/0']) THEN
            ' allows ' || o.opened || ' from ' || array_to_string(list_filter(r.source_ranges, lambda s: s IN ('0.0.0.0/0', '::/0')), ' and ')
            || CASE
                WHEN len(r.target_tags) > 0 THEN ' to instances tagged ' || array_to_string(r.target_tags, ', ')
                WHEN len(r.target_service_accounts) > 0 THEN ' to instances running as ' || array_to_string(r.target_service_accounts, ', ')
                ELSE ' to every instance of its network'
            END
        WHEN o.opened IS NOT NULL THEN ' allows port 22 only from ' || coalesce(nullif(array_to_string(r.source_ranges, ', '), ''), 'source tags or service accounts')
        ELSE ' does not allow tcp port 22'
    END AS reason
FROM rule r
LEFT JOIN opening o USING (asset_name)
