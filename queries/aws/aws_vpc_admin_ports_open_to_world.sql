-- title: Security group rules that open SSH or RDP to the internet
-- description: Ingress rules from 0.0.0.0/0 or ::/0 whose port range includes 22 or 3389, or that allow all traffic (protocol -1).
SELECT account_id, region, group_id, group_name, ip_protocol, from_port, to_port,
       coalesce(cidr_ipv4, cidr_ipv6) AS source
FROM aws_vpc_security_group_rule
WHERE NOT is_egress
  AND is_open_to_world
  AND (ip_protocol = '-1'
       OR (ip_protocol IN ('tcp', '6') AND (from_port <= 22 AND to_port >= 22 OR from_port <= 3389 AND to_port >= 3389)))
ORDER BY account_id, region, group_id
