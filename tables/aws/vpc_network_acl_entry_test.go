package aws

import (
	"reflect"
	"strconv"
	"testing"
)

func TestNetworkACLEntryMoto(t *testing.T) {
	c, _ := motoEC2(t, "ap-northeast-2")
	n := createMotoNetworkACL(t, c)

	recs := collect(t, "aws_vpc_network_acl_entry", c)
	rows := ec2RowsBy(t, "aws_vpc_network_acl_entry", recs, "entry_key")
	cases := []struct {
		key  string
		want map[string]any
	}{
		{n.aclID + "|ingress|100", map[string]any{
			"network_acl_id": n.aclID, "vpc_id": n.vpcID, "rule_number": 100, "egress": false,
			"protocol": "6", "protocol_name": "tcp", "rule_action": "allow", "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": nil,
			"port_range_from": 22, "port_range_to": 22, "icmp": nil, "is_open_to_world": true,
		}},
		// NOTE: moto 5.2.1 accepts the ICMP type and code but leaves them out
		// of DescribeNetworkAcls, so the offline fixture covers the icmp column.
		{n.aclID + "|ingress|110", map[string]any{
			"protocol": "1", "protocol_name": "icmp", "port_range_from": nil, "is_open_to_world": false,
		}},
		{n.aclID + "|egress|200", map[string]any{
			"egress": true, "protocol": "-1", "protocol_name": "all", "rule_action": "deny",
			"cidr_block": nil, "ipv6_cidr_block": "::/0", "port_range_from": nil, "is_open_to_world": true,
		}},
	}
	for _, tc := range cases {
		ec2Check(t, tc.key, rows[tc.key], tc.want)
	}

	// The VPC's default ACL allows everything (100) before the final
	// deny-all entry (32767), in each direction.
	var own int
	defaultEntries := map[string]string{}
	for key, row := range rows {
		switch {
		case row["network_acl_id"] == n.aclID:
			own++
		case row["vpc_id"] == n.vpcID:
			direction := "ingress"
			if row["egress"] == true {
				direction = "egress"
			}
			defaultEntries[direction+" "+strconv.FormatInt(row["rule_number"].(int64), 10)] = row["rule_action"].(string)
			ec2Check(t, key, row, map[string]any{"protocol_name": "all", "cidr_block": "0.0.0.0/0", "is_open_to_world": true})
		}
	}
	if own != 3 {
		t.Errorf("entries of %s: got %d, want 3", n.aclID, own)
	}
	wantDefault := map[string]string{"ingress 100": "allow", "ingress 32767": "deny", "egress 100": "allow", "egress 32767": "deny"}
	if !reflect.DeepEqual(defaultEntries, wantDefault) {
		t.Errorf("default ACL entries: got %v, want %v", defaultEntries, wantDefault)
	}
}

func TestNetworkACLEntryFixture(t *testing.T) {
	// The entries come from the network ACL table's fixture.
	c := ec2Fixture(t, "aws_vpc_network_acl", "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_network_acl_entry", collect(t, "aws_vpc_network_acl_entry", c), "entry_key")
	if len(rows) != 11 {
		t.Fatalf("entries: got %d, want 11 (5 of the default ACL, 6 of the custom one)", len(rows))
	}
	cases := []struct {
		key  string
		want map[string]any
	}{
		{"acl-0custom|ingress|90", map[string]any{
			"rule_action": "deny", "protocol_name": "tcp", "port_range_from": 3389, "port_range_to": 3389, "is_open_to_world": true,
		}},
		{"acl-0custom|ingress|100", map[string]any{
			"rule_action": "allow", "port_range_from": 20, "port_range_to": 30, "vpc_id": "vpc-0aaa",
		}},
		{"acl-0custom|ingress|110", map[string]any{
			"protocol": "1", "protocol_name": "icmp", "icmp": `{"Code":-1,"Type":8}`, "port_range_from": nil, "is_open_to_world": false,
		}},
		{"acl-0custom|ingress|120", map[string]any{
			"protocol_name": "udp", "cidr_block": nil, "ipv6_cidr_block": "2001:db8::/32", "is_open_to_world": false,
		}},
		{"acl-0default|ingress|101", map[string]any{
			"protocol_name": "all", "ipv6_cidr_block": "::/0", "is_open_to_world": true, "port_range_from": nil, "icmp": nil,
		}},
		{"acl-0default|egress|32767", map[string]any{"egress": true, "rule_number": 32767, "rule_action": "deny"}},
		{"acl-0default|ingress|32767", map[string]any{"egress": false, "rule_number": 32767, "rule_action": "deny"}},
	}
	for _, tc := range cases {
		ec2Check(t, tc.key, rows[tc.key], tc.want)
	}
}
