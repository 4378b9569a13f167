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
		// of DescribeNetworkAcls; the offline fixture covers the icmp column.
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
