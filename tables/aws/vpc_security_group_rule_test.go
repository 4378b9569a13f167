package aws

import (
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestSecurityGroupRuleMoto(t *testing.T) {
	c, _ := motoEC2(t, "eu-north-1")
	g := createMotoSecurityGroups(t, c)

	recs := collect(t, "aws_vpc_security_group_rule", c)
	var app []map[string]any
	for _, rec := range recs {
		row := ec2Values(t, "aws_vpc_security_group_rule", rec)
		if row["group_id"] == g.appID {
			app = append(app, row)
		}
		if row["group_id"] == g.emptyID {
			t.Errorf("empty group: got rule %v, want no rule", row["rule_key"])
		}
	}
	// Six permissions, one with two ranges, and the default egress rule.
	if len(app) != 8 {
		t.Fatalf("app rules: got %d, want 8", len(app))
	}
	byKey := map[string]map[string]any{}
	for _, row := range app {
		byKey[row["rule_key"].(string)] = row
	}

	cases := []struct {
		name string
		key  string
		want map[string]any
	}{
		{"ssh from IPv4 world", g.appID + "|ingress|tcp|22|22|0.0.0.0/0", map[string]any{
			"is_egress": false, "ip_protocol": "tcp", "protocol_name": "tcp", "from_port": 22, "to_port": 22,
			"cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": nil, "description": "ssh from anywhere", "is_open_to_world": true,
			"group_name": "app", "vpc_id": g.vpcID,
		}},
		{"ssh from private range", g.appID + "|ingress|tcp|22|22|10.0.0.0/8", map[string]any{
			"cidr_ipv4": "10.0.0.0/8", "description": nil, "is_open_to_world": false,
		}},
		{"port range from IPv6 world", g.appID + "|ingress|tcp|20|30|::/0", map[string]any{
			"from_port": 20, "to_port": 30, "cidr_ipv4": nil, "cidr_ipv6": "::/0", "is_open_to_world": true,
		}},
		{"all ports", g.appID + "|ingress|tcp|0|65535|192.168.0.0/16", map[string]any{
			"from_port": 0, "to_port": 65535, "is_open_to_world": false,
		}},
		{"all traffic from group", g.appID + "|ingress|-1|||" + g.peerID, map[string]any{
			"ip_protocol": "-1", "protocol_name": "all", "from_port": nil, "to_port": nil,
			"referenced_group_id": g.peerID, "referenced_user_id": "123456789012", "description": "from peer",
			"cidr_ipv4": nil, "is_open_to_world": false,
		}},
		{"icmp echo", g.appID + "|ingress|icmp|8|-1|0.0.0.0/0", map[string]any{
			"protocol_name": "icmp", "from_port": 8, "to_port": -1, "is_open_to_world": true,
		}},
		{"prefix list", g.appID + "|ingress|tcp|443|443|" + g.prefixListID, map[string]any{
			"prefix_list_id": g.prefixListID, "cidr_ipv4": nil, "referenced_group_id": nil, "is_open_to_world": false,
		}},
		{"default egress", g.appID + "|egress|-1|||0.0.0.0/0", map[string]any{
			"is_egress": true, "protocol_name": "all", "from_port": nil, "to_port": nil, "is_open_to_world": true,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			row, ok := byKey[tc.key]
			if !ok {
				t.Fatalf("no rule with key %q; keys: %v", tc.key, ec2SortedKeys(byKey))
			}
			ec2Check(t, tc.name, row, tc.want)
		})
	}

	// The CIS check "no inbound SSH from the world" as one filter: open to
	// the world, inbound, and port 22 in range or all protocols.
	var sshOpen []string
	for _, row := range app {
		from, _ := row["from_port"].(int64)
		to, _ := row["to_port"].(int64)
		inRange := row["protocol_name"] == "all" || (row["from_port"] != nil && from <= 22 && to >= 22)
		if row["is_open_to_world"] == true && row["is_egress"] == false && inRange {
			sshOpen = append(sshOpen, row["rule_key"].(string))
		}
	}
	sort.Strings(sshOpen)
	want := []string{g.appID + "|ingress|tcp|20|30|::/0", g.appID + "|ingress|tcp|22|22|0.0.0.0/0"}
	if len(sshOpen) != 2 || sshOpen[0] != want[0] || sshOpen[1] != want[1] {
		t.Errorf("rules opening SSH to the world: got %v, want %v", sshOpen, want)
	}

	// Keys stay the same from one sync to the next.
	again := collect(t, "aws_vpc_security_group_rule", c)
	for _, rec := range again {
		row := ec2Values(t, "aws_vpc_security_group_rule", rec)
		if row["group_id"] != g.appID {
			continue
		}
		if key := row["rule_key"].(string); byKey[key] == nil {
			t.Errorf("second sync: key %q is new, want the keys of the first sync", key)
		}
	}
}

func TestSecurityGroupRuleExpansion(t *testing.T) {
	group := types.SecurityGroup{GroupId: aws.String("sg-1"), GroupName: aws.String("g"), VpcId: aws.String("vpc-1")}
	cases := []struct {
		name     string
		perm     types.IpPermission
		wantKeys []string
	}{
		{
			name:     "no source keeps one row",
			perm:     types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80)},
			wantKeys: []string{"sg-1|ingress|tcp|80|80|"},
		},
		{
			name: "one row per source of every kind",
			perm: types.IpPermission{
				IpProtocol: aws.String("udp"), FromPort: aws.Int32(53), ToPort: aws.Int32(53),
				IpRanges:         []types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}, {CidrIp: aws.String("0.0.0.0/0")}},
				Ipv6Ranges:       []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}},
				PrefixListIds:    []types.PrefixListId{{PrefixListId: aws.String("pl-1")}},
				UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-2"), UserId: aws.String("111122223333")}},
			},
			wantKeys: []string{
				"sg-1|ingress|udp|53|53|10.0.0.0/8", "sg-1|ingress|udp|53|53|0.0.0.0/0",
				"sg-1|ingress|udp|53|53|::/0", "sg-1|ingress|udp|53|53|pl-1", "sg-1|ingress|udp|53|53|sg-2",
			},
		},
		{
			name:     "ports of all traffic ignored",
			perm:     types.IpPermission{IpProtocol: aws.String("-1"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
			wantKeys: []string{"sg-1|ingress|-1|||0.0.0.0/0"},
		},
		{
			name:     "group pair named only",
			perm:     types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2), UserIdGroupPairs: []types.UserIdGroupPair{{GroupName: aws.String("classic")}}},
			wantKeys: []string{"sg-1|ingress|tcp|1|2|classic"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs := permissionRules(group, tc.perm, false)
			if len(recs) != len(tc.wantKeys) {
				t.Fatalf("rows: got %d, want %d", len(recs), len(tc.wantKeys))
			}
			for i, rec := range recs {
				if got := rec["rule_key"]; got != tc.wantKeys[i] {
					t.Errorf("row %d: rule_key: got %v, want %s", i, got, tc.wantKeys[i])
				}
				row := ec2Values(t, "aws_vpc_security_group_rule", rec)
				if tc.perm.IpProtocol != nil && *tc.perm.IpProtocol == "-1" && (row["from_port"] != nil || row["to_port"] != nil) {
					t.Errorf("row %d: ports: got %v-%v, want NULL for all traffic", i, row["from_port"], row["to_port"])
				}
			}
		})
	}
}

func ec2SortedKeys(m map[string]map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestSecurityGroupRuleDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	recs := collect(t, "aws_vpc_security_group_rule", c)
	// Per group, inbound sources plus one outbound rule to 0.0.0.0/0:
	// sg-1 1+1, sg-2 2+1, sg-3 1+1, sg-4 2+1, sg-5 1+1, sg-6 1+1, sg-7 1+1,
	// sg-8 2+1.
	if len(recs) != 19 {
		t.Fatalf("rules: got %d, want 19", len(recs))
	}
	rows := map[string]map[string]any{}
	var openIngress []string
	for _, rec := range recs {
		row := ec2Values(t, "aws_vpc_security_group_rule", rec)
		rows[row["rule_key"].(string)] = row
		if row["is_open_to_world"] == true && row["is_egress"] == false {
			openIngress = append(openIngress, row["rule_key"].(string))
		}
	}
	sort.Strings(openIngress)
	want := []string{"sg-00000003|ingress|tcp|443|443|0.0.0.0/0", "sg-00000008|ingress|tcp|443|443|0.0.0.0/0"}
	if len(openIngress) != 2 || openIngress[0] != want[0] || openIngress[1] != want[1] {
		t.Errorf("inbound rules open to the world: got %v, want %v", openIngress, want)
	}

	ec2Check(t, "office SSH", rows["sg-00000002|ingress|tcp|22|22|2.2.2.2/28"], map[string]any{
		"group_name": "Bastion", "vpc_id": "vpc-12345678", "cidr_ipv4": "2.2.2.2/28", "from_port": 22, "to_port": 22,
	})
	ec2Check(t, "default group self reference", rows["sg-00000001|ingress|-1|||sg-00000001"], map[string]any{
		"protocol_name": "all", "from_port": nil, "to_port": nil,
		"referenced_group_id": "sg-00000001", "referenced_user_id": "123456789012",
	})
	ec2Check(t, "internal web from bastion", rows["sg-00000004|ingress|tcp|8000|8000|sg-00000002"], map[string]any{
		"referenced_group_id": "sg-00000002", "from_port": 8000,
	})
	ec2Check(t, "egress", rows["sg-00000005|egress|-1|||0.0.0.0/0"], map[string]any{
		"is_egress": true, "is_open_to_world": true, "protocol_name": "all",
	})
}

func TestSecurityGroupRuleFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_vpc_security_group_rule", "us-east-1")
	recs := collect(t, "aws_vpc_security_group_rule", c)
	rows := map[string]map[string]any{}
	for _, rec := range recs {
		row := ec2Values(t, "aws_vpc_security_group_rule", rec)
		rows[row["rule_key"].(string)] = row
	}
	// The NextToken left in the file must not make the paginator loop: each
	// rule appears once.
	if len(recs) != 7 || len(rows) != 7 {
		t.Fatalf("rules: got %d records with %d keys, want 7", len(recs), len(rows))
	}

	cases := []struct {
		name string
		key  string
		want map[string]any
	}{
		{"all traffic with -1 ports", "sg-0odd|ingress|-1|||0.0.0.0/0", map[string]any{
			"protocol_name": "all", "from_port": nil, "to_port": nil, "is_open_to_world": true, "description": "everything",
		}},
		{"all traffic from IPv6 world", "sg-0odd|ingress|-1|||::/0", map[string]any{
			"cidr_ipv6": "::/0", "cidr_ipv4": nil, "is_open_to_world": true,
		}},
		{"icmpv6 by number", "sg-0odd|ingress|58|-1|-1|2001:db8::/32", map[string]any{
			"ip_protocol": "58", "protocol_name": "icmpv6", "from_port": -1, "to_port": -1, "description": "icmpv6 lab", "is_open_to_world": false,
		}},
		{"protocol without ports", "sg-0odd|ingress|50|||203.0.113.0/24", map[string]any{
			"protocol_name": "50", "from_port": nil, "to_port": nil,
		}},
		{"peer account group", "sg-0odd|ingress|tcp|3389|3389|sg-0peer", map[string]any{
			"referenced_group_id": "sg-0peer", "referenced_user_id": "444455556666", "description": "jump hosts of the peer account",
		}},
		{"permission without source", "sg-0odd|ingress|tcp|80|80|", map[string]any{
			"cidr_ipv4": nil, "cidr_ipv6": nil, "prefix_list_id": nil, "referenced_group_id": nil, "is_open_to_world": false,
		}},
		{"classic group by name", "sg-0classic|ingress|tcp|0|65535|classic", map[string]any{
			"vpc_id": nil, "referenced_group_id": "classic", "from_port": 0, "to_port": 65535,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			row, ok := rows[tc.key]
			if !ok {
				t.Fatalf("no rule with key %q; keys: %v", tc.key, ec2SortedKeys(rows))
			}
			ec2Check(t, tc.name, row, tc.want)
		})
	}
}
