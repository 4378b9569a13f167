-- An inbound allow entry for 0.0.0.0/0 opens SSH (22) or RDP (3389) when
-- it covers all protocols (-1, which has no port range). It also does so
-- for tcp (6) or udp (17) with a port range that contains 22 or 3389. An
-- entry whose action, protocol or ports are not reported counts as open.
-- Entries are read one by one, as written: an allow entry stays a finding
-- even when a lower-numbered deny entry shadows it. Entries for ::/0 are
-- not evaluated, because the requirement names IPv4 only.
WITH entry AS (
    SELECT
        *,
        CASE lower(protocol) WHEN '6' THEN 'tcp' WHEN '17' THEN 'udp' ELSE lower(protocol) END AS protocol_label
    FROM aws_vpc_network_acl_entry
),
open_entry AS (
    SELECT
        account_id,
        region,
        network_acl_id,
        rule_number,
        'entry ' || coalesce(rule_number::VARCHAR, '(number not reported)') || ' for '
            || CASE
                WHEN protocol IS NULL THEN 'protocol not reported'
                WHEN protocol = '-1' THEN 'all traffic'
                WHEN port_range_from IS NULL OR port_range_to IS NULL THEN protocol_label || ' on ports not reported'
                WHEN port_range_from = port_range_to THEN protocol_label || ' port ' || port_range_from
                ELSE protocol_label || ' ports ' || port_range_from || '-' || port_range_to
            END
            || CASE WHEN rule_action IS NULL THEN ' with action not reported' ELSE '' END AS label
    FROM entry
    WHERE NOT coalesce(egress, false)
      AND coalesce(lower(rule_action), 'allow') = 'allow'
      AND cidr_block = '0.0.0.0/0'
      AND (
          protocol IS NULL
          OR protocol = '-1'
          OR (lower(protocol) IN ('6', '17', 'tcp', 'udp')
              AND ((coalesce(port_range_from, 0) <= 22 AND coalesce(port_range_to, 65535) >= 22)
                   OR (coalesce(port_range_from, 0) <= 3389 AND coalesce(port_range_to, 65535) >= 3389)))
      )
),
by_acl AS (
    SELECT
        account_id,
        region,
        network_acl_id,
        string_agg(label, ', ' ORDER BY rule_number) AS labels,
        list(rule_number ORDER BY rule_number) FILTER (WHERE rule_number IS NOT NULL) AS open_rule_numbers
    FROM open_entry
    GROUP BY account_id, region, network_acl_id
),
-- Every network ACL has at least its final deny-all entries, so an ACL
-- without any entry row was not read.
synced_acl AS (
    SELECT DISTINCT account_id, region, network_acl_id
    FROM aws_vpc_network_acl_entry
)
SELECT
    coalesce(a.arn, a.network_acl_id) AS resource,
    a.network_acl_id,
    a.account_id,
    a.region,
    o.open_rule_numbers,
    CASE
        WHEN o.network_acl_id IS NOT NULL THEN 'fail'
        WHEN n.network_acl_id IS NULL THEN 'skip'
        ELSE 'pass'
    END AS status,
    CASE WHEN a.is_default THEN 'default network ACL ' ELSE 'network ACL ' END
        || coalesce(a.network_acl_id, a.arn) || coalesce(' of ' || a.vpc_id, '') || CASE
        WHEN o.network_acl_id IS NOT NULL
            THEN ' allows SSH (22) or RDP (3389) from 0.0.0.0/0 with inbound ' || o.labels
                || ' (associated subnets: ' || coalesce(len(a.associated_subnet_ids)::VARCHAR, 'not reported') || ')'
        WHEN n.network_acl_id IS NULL
            THEN ' was not evaluated: its entries are not in aws_vpc_network_acl_entry'
        ELSE ' has no inbound allow entry for SSH (22) or RDP (3389) from 0.0.0.0/0'
    END AS reason
FROM aws_vpc_network_acl a
LEFT JOIN by_acl o ON o.account_id = a.account_id AND o.region = a.region AND o.network_acl_id = a.network_acl_id
LEFT JOIN synced_acl n ON n.account_id = a.account_id AND n.region = a.region AND n.network_acl_id = a.network_acl_id
