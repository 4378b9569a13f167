-- One result per network security group. An inbound Allow rule fails the
-- group when its source is any Internet address and it allows UDP, on any
-- destination port. The source counts as the Internet when the sync flagged
-- it (source_is_internet) or when a prefix is *, 0.0.0.0, a /0 range,
-- Internet or Any, compared case-insensitively. Destination port ranges
-- come from destination_port_ranges_normalized, where * is 0-65535 and a
-- single port p is p-p, so a list such as 80, 20-30 is checked entry by
-- entry. Rules are read as written: an Allow rule shadowed by a Deny rule
-- of higher priority still fails, as in the CIS audit.
WITH inbound AS (
    SELECT
        r.*,
        lower(coalesce(r.protocol, '*')) AS protocol_name,
        coalesce(r.source_is_internet, false)
            OR list_bool_or(list_transform(coalesce(r.source_address_prefixes, []),
                p -> lower(trim(p)) IN ('*', '0.0.0.0', 'internet', 'any') OR trim(p) LIKE '%/0'))
            AS from_internet
    FROM azure_network_security_group_rule r
    WHERE lower(r.direction) = 'inbound' AND lower(r.access) = 'allow'
),
open_rule AS (
    SELECT
        network_security_group_id,
        name,
        protocol,
        array_to_string(destination_port_ranges, ',') AS ports,
        array_to_string(source_address_prefixes, ',') AS sources
    FROM inbound
    WHERE from_internet
      AND protocol_name IN ('udp', '*')
),
by_group AS (
    SELECT
        network_security_group_id,
        string_agg(name || ' (' || coalesce(protocol, '*') || ' ports ' || coalesce(ports, '?') || ' from ' || coalesce(sources, '?') || ')', ', ' ORDER BY name) AS labels,
        string_agg(name, ' ' ORDER BY name) AS rule_names
    FROM open_rule
    GROUP BY network_security_group_id
),
synced_group AS (
    SELECT DISTINCT network_security_group_id FROM azure_network_security_group_rule
)
SELECT
    g.id AS resource,
    g.account_id,
    g.region,
    g.name AS nsg_name,
    g.resource_group,
    o.rule_names,
    CASE
        WHEN o.network_security_group_id IS NOT NULL THEN 'fail'
        WHEN s.network_security_group_id IS NULL THEN 'skip'
        ELSE 'pass'
    END AS status,
    'network security group ' || g.name || CASE
        WHEN o.network_security_group_id IS NOT NULL
            THEN ' opens UDP to the Internet with inbound rules ' || o.labels
        WHEN s.network_security_group_id IS NULL
            THEN ' was not evaluated: none of its rules, not even the default ones, are in azure_network_security_group_rule'
        ELSE ' allows no UDP from the Internet'
    END AS reason
FROM azure_network_security_group g
LEFT JOIN by_group o ON o.network_security_group_id = g.id
LEFT JOIN synced_group s ON s.network_security_group_id = g.id
