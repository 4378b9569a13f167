package aws

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_vpc_network_acl_entry",
		Description: "Entries of VPC network ACLs, one row per entry, including the final deny-all entry numbered 32767.",
		Key:         "entry_key",
		Columns: []store.Column{
			{Name: "entry_key", Type: store.TypeText, Description: "Stable key of the row: network_acl_id|ingress or egress|rule_number."},
			{Name: "network_acl_id", Type: store.TypeText, Description: "ID of the network ACL the entry belongs to."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC of the network ACL."},
			{Name: "rule_number", Type: store.TypeInt, Description: "Rule number, 1 to 32766, or 32767 for the final deny-all entry; entries apply in increasing order."},
			{Name: "egress", Type: store.TypeBool, Description: "True for an outbound entry, false for an inbound entry."},
			{Name: "protocol", Type: store.TypeText, Description: "Protocol number as the API returns it, such as 6 (tcp), 17 (udp), 1 (icmp), or -1 for all protocols."},
			{Name: "protocol_name", Type: store.TypeText, Description: "Protocol name: all for -1, tcp, udp, icmp, icmpv6, or the protocol number for others."},
			{Name: "rule_action", Type: store.TypeText, Description: "allow or deny."},
			{Name: "cidr_block", Type: store.TypeText, Description: "IPv4 range the entry matches, NULL for an IPv6 entry."},
			{Name: "ipv6_cidr_block", Type: store.TypeText, Description: "IPv6 range the entry matches, NULL for an IPv4 entry."},
			{Name: "port_range_from", Type: store.TypeInt, Description: "First port of the range, NULL when the entry has no port range (all protocols, icmp)."},
			{Name: "port_range_to", Type: store.TypeInt, Description: "Last port of the range, NULL when the entry has no port range."},
			{Name: "icmp", Type: store.TypeJSON, Description: "ICMP type and code ({\"Type\":..,\"Code\":..}, -1 for all) of an icmp entry, NULL otherwise."},
			{Name: "is_open_to_world", Type: store.TypeBool, Description: "True when cidr_block is 0.0.0.0/0 or ipv6_cidr_block is ::/0."},
		},
	}, fetchNetworkACLEntries)
}

func fetchNetworkACLEntries(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return eachNetworkACL(ctx, c, func(acl types.NetworkAcl) error {
		for _, e := range acl.Entries {
			if err := emit(networkACLEntryRecord(acl, e)); err != nil {
				return err
			}
		}
		return nil
	})
}

func networkACLEntryRecord(acl types.NetworkAcl, e types.NetworkAclEntry) tables.Record {
	egress := aws.ToBool(e.Egress)
	direction := "ingress"
	if egress {
		direction = "egress"
	}
	protocol := aws.ToString(e.Protocol)
	rec := tables.Record{
		"entry_key":        aws.ToString(acl.NetworkAclId) + "|" + direction + "|" + strconv.Itoa(int(aws.ToInt32(e.RuleNumber))),
		"network_acl_id":   acl.NetworkAclId,
		"vpc_id":           acl.VpcId,
		"rule_number":      e.RuleNumber,
		"egress":           egress,
		"protocol":         protocol,
		"protocol_name":    protocolName(protocol),
		"rule_action":      textOrNil(string(e.RuleAction)),
		"cidr_block":       textOrNil(aws.ToString(e.CidrBlock)),
		"ipv6_cidr_block":  textOrNil(aws.ToString(e.Ipv6CidrBlock)),
		"is_open_to_world": aws.ToString(e.CidrBlock) == "0.0.0.0/0" || aws.ToString(e.Ipv6CidrBlock) == "::/0",
		"raw":              e,
	}
	if e.PortRange != nil {
		rec["port_range_from"] = e.PortRange.From
		rec["port_range_to"] = e.PortRange.To
	}
	if e.IcmpTypeCode != nil {
		rec["icmp"] = e.IcmpTypeCode
	}
	return rec
}
