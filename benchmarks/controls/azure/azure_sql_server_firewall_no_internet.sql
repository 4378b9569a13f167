-- One result per SQL server. A firewall rule fails the server when it
-- admits the whole Internet. A server with public network access Disabled
-- passes, because its firewall rules then have no effect. A NULL
-- public_network_access means Enabled.
WITH rule AS (
    SELECT
        *,
        -- Number of addresses in the range, from the dotted addresses.
        (list_reduce(list_transform(string_split(end_ip_address, '.'), x -> TRY_CAST(x AS BIGINT)), (a, b) -> a * 256 + b)
         - list_reduce(list_transform(string_split(start_ip_address, '.'), x -> TRY_CAST(x AS BIGINT)), (a, b) -> a * 256 + b)
         + 1) AS address_count
    FROM azure_sql_server_firewall_rule
),
open_rule AS (
    SELECT server_id, name, start_ip_address, end_ip_address
    FROM rule f
    WHERE coalesce(f.allows_any_address, false) OR (f.start_ip_address = '0.0.0.0' AND f.end_ip_address = '255.255.255.255') OR f.address_count > 16777216
),
by_server AS (
    SELECT
        server_id,
        string_agg(name || ' (' || start_ip_address || ' to ' || end_ip_address || ')', ', ' ORDER BY name) AS labels,
        string_agg(name, ' ' ORDER BY name) AS rule_names
    FROM open_rule
    GROUP BY server_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    s.name AS server_name,
    s.resource_group,
    o.rule_names,
    CASE
        WHEN lower(s.public_network_access) = 'disabled' THEN 'pass'
        WHEN o.server_id IS NOT NULL THEN 'fail'
        ELSE 'pass'
    END AS status,
    'SQL server ' || s.name || CASE
        WHEN lower(s.public_network_access) = 'disabled' THEN ' has public network access disabled, so its firewall rules admit nothing'
        WHEN o.server_id IS NOT NULL THEN ' admits the whole Internet through firewall rules ' || o.labels
        ELSE ' admits no range wider than 2^24 addresses'
    END AS reason
FROM azure_sql_server s
LEFT JOIN by_server o ON o.server_id = s.id
