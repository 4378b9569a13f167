package aws

import (
	"fmt"

	"github.com/stance-cspm/stance/internal/store"
)

// vpcSpec fills aws_vpc: the default VPC at slot 0 of every partition and
// further VPCs, 3% of them shared by the management account.
func (g *generator) vpcSpec() tableSpec {
	n := g.layout.vpcs * g.layout.partitions
	return tableSpec{table: "aws_vpc", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:ec2:' || region || ':' || account_id || ':vpc/' || vpc_id AS arn,
			vpc_id, cidr_block, [cidr_block] AS cidr_blocks, is_default,
			'available' AS state, 'default' AS instance_tenancy,
			syn_id('dopt', i %% %[2]d, 5) AS dhcp_options_id,
			CASE WHEN NOT is_default AND syn_roll(i, 100, 100) < 3 THEN syn_account(0) ELSE account_id END AS owner_id,
			CASE WHEN is_default THEN MAP {}::MAP(VARCHAR, VARCHAR)
				ELSE map_concat(syn_tags(i, 101), MAP {'Name': 'vpc-' || syn_r_slot(i)}) END AS tags
		FROM (
			SELECT
				i,
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				syn_vpc_id(i) AS vpc_id,
				syn_r_slot(i) = 0 AS is_default,
				CASE WHEN syn_r_slot(i) = 0 THEN '172.31.0.0/16' ELSE '10.' || (syn_r_slot(i) %% 250) || '.0.0/16' END AS cidr_block
			FROM range(%[1]d) t(i)
		)`, n, g.layout.partitions)}
}

// securityGroupRuleSpec fills aws_vpc_security_group_rule. Rule i belongs
// to group i % groups, so every group has about the same number of rules.
// A default group keeps its two default rules (inbound from itself,
// outbound to anywhere), except the 40% whose rules were removed. Other
// groups have one outbound rule and inbound rules on common ports from
// private ranges, other groups, prefix lists and the internet.
func (g *generator) securityGroupRuleSpec() tableSpec {
	l := g.layout
	groups := l.groups * l.partitions
	return tableSpec{table: "aws_vpc_security_group_rule", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			group_id || CASE WHEN is_egress THEN '/egress/' ELSE '/ingress/' END || k AS rule_key,
			group_id, group_name, vpc_id, is_egress,
			rule.protocol AS ip_protocol,
			CASE rule.protocol WHEN '-1' THEN 'all' WHEN '6' THEN 'tcp' WHEN '17' THEN 'udp' ELSE rule.protocol END AS protocol_name,
			rule.from_port, rule.to_port,
			source.ipv4 AS cidr_ipv4, source.ipv6 AS cidr_ipv6, source.prefix_list AS prefix_list_id,
			source.group_ref AS referenced_group_id,
			CASE WHEN source.group_ref IS NOT NULL THEN account_id END AS referenced_user_id,
			CASE WHEN syn_roll(i, 24, 100) < 40 THEN NULL
				ELSE syn_pick(['office VPN', 'load balancer', 'monitoring', 'partner access', 'temporary debug', 'legacy'], i, 25) END AS description,
			coalesce(source.ipv4 = '0.0.0.0/0', false) OR coalesce(source.ipv6 = '::/0', false) AS is_open_to_world,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				*,
				CASE
					WHEN is_default OR is_egress THEN
						CASE WHEN is_egress AND NOT is_default AND syn_roll(i, 26, 100) >= 90
							THEN {'protocol': 'tcp', 'from_port': 443, 'to_port': 443}
							ELSE {'protocol': '-1', 'from_port': NULL::BIGINT, 'to_port': NULL::BIGINT} END
					WHEN port_roll < 300 THEN {'protocol': 'tcp', 'from_port': 443, 'to_port': 443}
					WHEN port_roll < 420 THEN {'protocol': 'tcp', 'from_port': 80, 'to_port': 80}
					WHEN port_roll < 520 THEN {'protocol': 'tcp', 'from_port': 22, 'to_port': 22}
					WHEN port_roll < 560 THEN {'protocol': 'tcp', 'from_port': 3389, 'to_port': 3389}
					WHEN port_roll < 570 THEN {'protocol': 'tcp', 'from_port': 445, 'to_port': 445}
					WHEN port_roll < 620 THEN {'protocol': 'tcp', 'from_port': 0, 'to_port': 65535}
					WHEN port_roll < 680 THEN {'protocol': 'udp', 'from_port': 53, 'to_port': 53}
					WHEN port_roll < 730 THEN {'protocol': '-1', 'from_port': NULL, 'to_port': NULL}
					WHEN port_roll < 770 THEN {'protocol': 'icmp', 'from_port': -1, 'to_port': -1}
					WHEN port_roll < 900 THEN {'protocol': 'tcp', 'from_port': db_port, 'to_port': db_port}
					WHEN port_roll < 950 THEN {'protocol': 'tcp', 'from_port': 8443, 'to_port': 8443}
					WHEN port_roll < 975 THEN {'protocol': '6', 'from_port': 1024, 'to_port': 65535}
					ELSE {'protocol': '17', 'from_port': 514, 'to_port': 514}
				END AS rule,
				CASE
					WHEN is_default AND NOT is_egress THEN {'ipv4': NULL, 'ipv6': NULL, 'prefix_list': NULL, 'group_ref': group_id}
					WHEN is_egress OR source_roll BETWEEN 700 AND 899 THEN {'ipv4': '0.0.0.0/0', 'ipv6': NULL, 'prefix_list': NULL, 'group_ref': NULL}
					WHEN source_roll < 550 THEN {'ipv4': '10.' || syn_roll(i, 22, 256) || '.0.0/16', 'ipv6': NULL, 'prefix_list': NULL, 'group_ref': NULL}
					WHEN source_roll < 700 THEN {'ipv4': NULL, 'ipv6': NULL, 'prefix_list': NULL,
						'group_ref': syn_sg_id(syn_r_sibling(grp, (syn_r_slot(grp) + 1 + syn_roll(i, 23, 5)) %% %[3]d))}
					WHEN source_roll < 960 THEN {'ipv4': NULL, 'ipv6': '::/0', 'prefix_list': NULL, 'group_ref': NULL}
					WHEN source_roll < 980 THEN {'ipv4': NULL, 'ipv6': NULL, 'prefix_list': syn_id('pl', syn_r_account_index(grp), 6), 'group_ref': NULL}
					ELSE {'ipv4': '203.0.113.0/24', 'ipv6': NULL, 'prefix_list': NULL, 'group_ref': NULL}
				END AS source
			FROM (
				SELECT
					i, grp, k,
					syn_r_account(grp) AS account_id,
					syn_r_region(grp) AS region,
					syn_sg_id(grp) AS group_id,
					syn_sg_name(grp) AS group_name,
					syn_vpc_id(syn_vpc_index(grp)) AS vpc_id,
					syn_sg_is_default(grp) AS is_default,
					CASE WHEN syn_sg_is_default(grp) THEN k = 1 ELSE k = 0 END AS is_egress,
					syn_roll(i, 20, 1000) AS port_roll,
					syn_roll(i, 21, 1000) AS source_roll,
					syn_pick([5432, 3306, 6379, 8080, 9200, 27017], i, 27) AS db_port
				FROM (SELECT i, i %% %[2]d AS grp, i // %[2]d AS k FROM range(%[1]d) t(i))
				WHERE NOT (syn_sg_is_default(grp) AND (syn_sg_clean_default(grp) OR k >= 2))
			)
		)`, l.rules, groups, l.groups)}
}

// securityGroupSpec fills aws_vpc_security_group, with ip_permissions and
// ip_permissions_egress built from the group's rules as the EC2 API
// returns them. 0.2% of groups do not report their permissions.
func (g *generator) securityGroupSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_vpc_security_group", query: fmt.Sprintf(`
		WITH permission AS (
			SELECT
				group_id,
				is_egress,
				json_object(
					'IpProtocol', ip_protocol, 'FromPort', from_port, 'ToPort', to_port,
					'IpRanges', CASE WHEN cidr_ipv4 IS NULL THEN '[]'::JSON ELSE json_array(json_object('CidrIp', cidr_ipv4, 'Description', description)) END,
					'Ipv6Ranges', CASE WHEN cidr_ipv6 IS NULL THEN '[]'::JSON ELSE json_array(json_object('CidrIpv6', cidr_ipv6)) END,
					'PrefixListIds', CASE WHEN prefix_list_id IS NULL THEN '[]'::JSON ELSE json_array(json_object('PrefixListId', prefix_list_id)) END,
					'UserIdGroupPairs', CASE WHEN referenced_group_id IS NULL THEN '[]'::JSON
						ELSE json_array(json_object('GroupId', referenced_group_id, 'UserId', referenced_user_id)) END
				) AS permission,
				rule_key
			FROM %[2]s.aws_vpc_security_group_rule
		),
		by_group AS (
			SELECT
				group_id,
				to_json(list(permission ORDER BY rule_key) FILTER (WHERE NOT is_egress)) AS inbound,
				to_json(list(permission ORDER BY rule_key) FILTER (WHERE is_egress)) AS outbound
			FROM permission
			GROUP BY group_id
		)
		SELECT
			b.account_id, b.region,
			'arn:aws:ec2:' || b.region || ':' || b.account_id || ':security-group/' || b.group_id AS arn,
			b.group_id, b.group_name,
			CASE WHEN b.group_name = 'default' THEN 'default VPC security group' ELSE 'managed by ' || b.group_name END AS description,
			b.vpc_id, b.account_id AS owner_id,
			CASE WHEN b.unreported THEN NULL ELSE coalesce(p.inbound, '[]'::JSON) END AS ip_permissions,
			CASE WHEN b.unreported THEN NULL ELSE coalesce(p.outbound, '[]'::JSON) END AS ip_permissions_egress,
			b.tags
		FROM (
			SELECT
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				syn_sg_id(i) AS group_id,
				syn_sg_name(i) AS group_name,
				syn_vpc_id(syn_vpc_index(i)) AS vpc_id,
				syn_roll(i, 30, 1000) < 2 AS unreported,
				CASE WHEN syn_sg_is_default(i) THEN MAP {}::MAP(VARCHAR, VARCHAR) ELSE syn_tags(i, 31) END AS tags
			FROM range(%[1]d) t(i)
		) b
		LEFT JOIN by_group p ON p.group_id = b.group_id`, l.groups*l.partitions, store.HistorySchema)}
}

// networkACLEntrySpec fills aws_vpc_network_acl_entry with eight entries
// per ACL: inbound and outbound rule 100, the final deny-all pair 32767,
// and four more inbound entries. Rule 100 of a default ACL allows all
// traffic, as AWS creates it, and that of other ACLs varies.
func (g *generator) networkACLEntrySpec() tableSpec {
	acls := g.aclCount()
	return tableSpec{table: "aws_vpc_network_acl_entry", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			network_acl_id || CASE WHEN egress THEN '/egress/' ELSE '/ingress/' END || rule_number AS entry_key,
			network_acl_id, vpc_id, rule_number, egress,
			e.protocol,
			CASE e.protocol WHEN '-1' THEN 'all' WHEN '6' THEN 'tcp' WHEN '17' THEN 'udp' END AS protocol_name,
			CASE WHEN k IN (2, 3) THEN 'deny' ELSE 'allow' END AS rule_action,
			e.cidr AS cidr_block, e.ipv6 AS ipv6_cidr_block,
			e.from_port AS port_range_from, e.to_port AS port_range_to,
			NULL::JSON AS icmp,
			k NOT IN (2, 3) AND (coalesce(e.cidr = '0.0.0.0/0', false) OR coalesce(e.ipv6 = '::/0', false)) AS is_open_to_world,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				*,
				CASE
					WHEN k = 0 AND is_default THEN {'protocol': '-1', 'from_port': NULL::BIGINT, 'to_port': NULL::BIGINT, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k = 0 AND entry_roll < 50 THEN {'protocol': '6', 'from_port': 443, 'to_port': 443, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k = 0 AND entry_roll < 70 THEN {'protocol': '6', 'from_port': 22, 'to_port': 22, 'cidr': '10.0.0.0/8', 'ipv6': NULL}
					WHEN k = 0 AND entry_roll < 85 THEN {'protocol': '6', 'from_port': 1024, 'to_port': 65535, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k = 0 THEN {'protocol': '-1', 'from_port': NULL, 'to_port': NULL, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k IN (1, 2, 3) THEN {'protocol': '-1', 'from_port': NULL, 'to_port': NULL, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k = 4 THEN {'protocol': '6', 'from_port': 80, 'to_port': 80, 'cidr': '0.0.0.0/0', 'ipv6': NULL}
					WHEN k = 5 THEN {'protocol': '6', 'from_port': 3389, 'to_port': 3389,
						'cidr': CASE WHEN entry_roll < 10 THEN '0.0.0.0/0' ELSE '10.20.0.0/16' END, 'ipv6': NULL}
					WHEN k = 6 THEN {'protocol': '17', 'from_port': 53, 'to_port': 53, 'cidr': '10.0.0.0/8', 'ipv6': NULL}
					ELSE {'protocol': '6', 'from_port': 443, 'to_port': 443, 'cidr': NULL, 'ipv6': '::/0'}
				END AS e
			FROM (
				SELECT
					i, k,
					syn_r_account(acl) AS account_id,
					syn_r_region(acl) AS region,
					syn_acl_id(acl) AS network_acl_id,
					syn_vpc_id(syn_vpc_index(acl)) AS vpc_id,
					syn_r_slot(acl) < %[3]d AS is_default,
					k IN (1, 3) AS egress,
					CASE WHEN k IN (0, 1) THEN 100 WHEN k IN (2, 3) THEN 32767 ELSE 100 + 10 * (k - 3) END AS rule_number,
					syn_roll(acl, 60 + k, 100) AS entry_roll
				FROM (SELECT i, i %% %[2]d AS acl, i // %[2]d AS k FROM range(%[1]d) t(i))
			)
		)`, acls*8, acls, g.layout.vpcs)}
}

// aclCount returns the number of network ACLs: the default ACL and two
// custom ones per VPC.
func (g *generator) aclCount() int { return 3 * g.layout.vpcs * g.layout.partitions }

// networkACLSpec fills aws_vpc_network_acl, with entries built from
// aws_vpc_network_acl_entry as the EC2 API returns them.
func (g *generator) networkACLSpec() tableSpec {
	return tableSpec{table: "aws_vpc_network_acl", query: fmt.Sprintf(`
		WITH by_acl AS (
			SELECT
				network_acl_id,
				to_json(list(json_object(
					'RuleNumber', rule_number, 'Egress', egress, 'Protocol', protocol, 'RuleAction', rule_action,
					'CidrBlock', cidr_block, 'Ipv6CidrBlock', ipv6_cidr_block,
					'PortRange', CASE WHEN port_range_from IS NULL THEN NULL
						ELSE json_object('From', port_range_from, 'To', port_range_to) END
				) ORDER BY egress, rule_number)) AS entries
			FROM %[3]s.aws_vpc_network_acl_entry
			GROUP BY network_acl_id
		)
		SELECT
			b.account_id, b.region,
			'arn:aws:ec2:' || b.region || ':' || b.account_id || ':network-acl/' || b.network_acl_id AS arn,
			b.network_acl_id, b.vpc_id, b.account_id AS owner_id, b.is_default,
			to_json(list_transform(b.subnets, lambda s: {'NetworkAclId': b.network_acl_id, 'SubnetId': s})) AS associations,
			b.subnets AS associated_subnet_ids,
			e.entries,
			b.tags
		FROM (
			SELECT
				*,
				CASE
					WHEN is_default THEN [syn_subnet_id(vpc, 0), syn_subnet_id(vpc, 1)]
					WHEN syn_roll(i, 70, 100) < 80 THEN [syn_subnet_id(vpc, 2 + syn_roll(i, 71, 2))]
					ELSE []::VARCHAR[]
				END AS subnets
			FROM (
				SELECT
					i,
					syn_r_account(i) AS account_id,
					syn_r_region(i) AS region,
					syn_acl_id(i) AS network_acl_id,
					syn_vpc_index(i) AS vpc,
					syn_vpc_id(syn_vpc_index(i)) AS vpc_id,
					syn_r_slot(i) < %[2]d AS is_default,
					CASE WHEN syn_r_slot(i) < %[2]d THEN MAP {}::MAP(VARCHAR, VARCHAR) ELSE syn_tags(i, 72) END AS tags
				FROM range(%[1]d) t(i)
			)
		) b
		LEFT JOIN by_acl e ON e.network_acl_id = b.network_acl_id`, g.aclCount(), g.layout.vpcs, store.HistorySchema)}
}

// flowLogSpec fills aws_vpc_flow_log: flow log f watches VPC f, so the
// last 20% of VPCs have none. Most capture all traffic, but 15% capture
// only accepted traffic, which the CIS requirement does not accept.
func (g *generator) flowLogSpec() tableSpec {
	n := (g.layout.vpcs*g.layout.partitions*4 + 4) / 5
	return tableSpec{table: "aws_vpc_flow_log", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:ec2:' || region || ':' || account_id || ':vpc-flow-log/' || flow_log_id AS arn,
			flow_log_id,
			syn_vpc_id(i) AS resource_id,
			CASE WHEN syn_roll(i, 80, 100) < 60 THEN 'ALL' WHEN syn_roll(i, 80, 100) < 85 THEN 'REJECT' ELSE 'ACCEPT' END AS traffic_type,
			destination AS log_destination_type,
			CASE WHEN destination = 's3' THEN 'arn:aws:s3:::stance-bench-' || account_id || '-flow-logs'
				ELSE 'arn:aws:logs:' || region || ':' || account_id || ':log-group:/vpc/flow-logs/' || syn_vpc_id(i) END AS log_destination,
			CASE WHEN destination = 'cloud-watch-logs' THEN '/vpc/flow-logs/' || syn_vpc_id(i) END AS log_group_name,
			CASE WHEN syn_roll(i, 82, 100) < 97 THEN 'ACTIVE' ELSE 'FAILED' END AS flow_log_status,
			CASE WHEN syn_roll(i, 83, 100) < 97 THEN 'SUCCESS' ELSE 'FAILED' END AS deliver_logs_status,
			NULL AS deliver_logs_error_message,
			CASE WHEN destination = 'cloud-watch-logs' THEN 'arn:aws:iam::' || account_id || ':role/flow-logs-delivery' END AS deliver_logs_permission_arn,
			CASE WHEN syn_roll(i, 84, 100) < 70 THEN 600 ELSE 60 END AS max_aggregation_interval,
			syn_ago(30 + syn_roll(i, 85, 900)) AS creation_time,
			syn_tags(i, 86) AS tags
		FROM (
			SELECT
				i,
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				syn_id('fl', i, 40) AS flow_log_id,
				CASE WHEN syn_roll(i, 81, 100) < 55 THEN 'cloud-watch-logs' ELSE 's3' END AS destination
			FROM range(%d) t(i)
		)`, n)}
}
