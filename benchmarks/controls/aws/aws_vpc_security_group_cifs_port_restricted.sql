-- An inbound rule from 0.0.0.0/0 or ::/0 opens CIFS/SMB (445) when it
-- allows all protocols (-1, which has no ports). It also does so when it
-- allows tcp or udp, by name or number, on a port range that contains 445.
-- A rule whose protocol or ports are not reported counts as open.
-- Every security group gets a result, whether anything uses it or not.
-- NOTE: a source that is a managed prefix list is not checked, because the
-- entries of prefix lists are not synced.
WITH inbound AS (
    SELECT
        *,
        CASE lower(ip_protocol) WHEN '6' THEN 'tcp' WHEN '17' THEN 'udp' ELSE lower(ip_protocol) END AS protocol_label,
        coalesce(cidr_ipv4, cidr_ipv6) AS source
    FROM aws_vpc_security_group_rule
    WHERE NOT coalesce(is_egress, false)
),
open_rule AS (
    SELECT
        account_id,
        region,
        group_id,
        ip_protocol,
        from_port,
        to_port,
        source,
        CASE
            WHEN ip_protocol IS NULL THEN 'protocol not reported'
            WHEN ip_protocol = '-1' THEN 'all traffic'
            WHEN from_port IS NULL OR to_port IS NULL THEN protocol_label || ' on ports not reported'
            WHEN from_port = to_port THEN protocol_label || ' port ' || from_port
            ELSE protocol_label || ' ports ' || from_port || '-' || to_port
        END || ' from ' || source AS label
    FROM inbound
    WHERE (cidr_ipv4 = '0.0.0.0/0' OR cidr_ipv6 = '::/0')
      AND (
          ip_protocol IS NULL
          OR ip_protocol = '-1'
          OR (lower(ip_protocol) IN ('tcp', 'udp', '6', '17')
              AND coalesce(from_port, 0) <= 445 AND coalesce(to_port, 65535) >= 445)
      )
),
by_group AS (
    SELECT
        account_id,
        region,
        group_id,
        string_agg(label, ', ' ORDER BY label) AS labels,
        -- Shorthand of aws ec2 revoke-security-group-ingress --ip-permissions,
        -- one quoted argument per rule.
        string_agg(
            '''IpProtocol=' || coalesce(ip_protocol, '-1')
                || coalesce(',FromPort=' || from_port || ',ToPort=' || to_port, '')
                || CASE WHEN source = '::/0' THEN ',Ipv6Ranges=[{CidrIpv6=::/0}]' ELSE ',IpRanges=[{CidrIp=0.0.0.0/0}]' END
                || '''',
            ' ' ORDER BY label
        ) AS revoke_permissions
    FROM open_rule
    GROUP BY account_id, region, group_id
),
-- Groups with at least one rule, inbound or outbound, in
-- aws_vpc_security_group_rule.
synced_group AS (
    SELECT DISTINCT account_id, region, group_id
    FROM aws_vpc_security_group_rule
)
SELECT
    coalesce(g.arn, g.group_id) AS resource,
    g.group_id,
    g.account_id,
    g.region,
    o.revoke_permissions,
    CASE
        WHEN o.group_id IS NOT NULL THEN 'fail'
        -- The group has inbound rules, or may have, but none of its rules
        -- is in aws_vpc_security_group_rule, so they were not synced.
        WHEN coalesce(json_array_length(g.ip_permissions), 1) > 0 AND n.group_id IS NULL THEN 'skip'
        ELSE 'pass'
    END AS status,
    'security group ' || coalesce(g.group_id, g.arn) || coalesce(' (' || g.group_name || ')', '') || CASE
        WHEN o.group_id IS NOT NULL
            THEN ' opens CIFS/SMB (445) to the internet with inbound rules for ' || o.labels
        WHEN coalesce(json_array_length(g.ip_permissions), 1) > 0 AND n.group_id IS NULL
            THEN ' was not evaluated: its rules are not in aws_vpc_security_group_rule'
        ELSE ' allows no CIFS/SMB (445) traffic from 0.0.0.0/0 or ::/0'
    END AS reason
FROM aws_vpc_security_group g
LEFT JOIN by_group o ON o.account_id = g.account_id AND o.region = g.region AND o.group_id = g.group_id
LEFT JOIN synced_group n ON n.account_id = g.account_id AND n.region = g.region AND n.group_id = g.group_id
