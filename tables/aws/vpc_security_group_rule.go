package aws

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_vpc_security_group_rule",
		Description: "Security group rules, one row per rule and per source (IPv4 range, IPv6 range, prefix list or referenced group), " +
			"so that a check such as \"SSH open to the world\" is one WHERE clause.",
		Key: "rule_key",
		Columns: []store.Column{
			{Name: "rule_key", Type: store.TypeText, Description: "Stable key of the row: group_id|ingress or egress|ip_protocol|from_port|to_port|source."},
			{Name: "group_id", Type: store.TypeText, Description: "ID of the security group the rule belongs to."},
			{Name: "group_name", Type: store.TypeText, Description: "Name of the security group the rule belongs to."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC of the security group."},
			{Name: "is_egress", Type: store.TypeBool, Description: "True for an outbound rule, false for an inbound rule."},
			{Name: "ip_protocol", Type: store.TypeText, Description: "Protocol as the API returns it: tcp, udp, icmp, icmpv6, a protocol number, or -1 for all protocols."},
			{Name: "protocol_name", Type: store.TypeText, Description: "Protocol name: all for -1, tcp, udp, icmp, icmpv6, or the protocol number for others."},
			{Name: "from_port", Type: store.TypeInt, Description: "First port of the range (the ICMP type for icmp, -1 for all types); NULL for all protocols."},
			{Name: "to_port", Type: store.TypeInt, Description: "Last port of the range (the ICMP code for icmp, -1 for all codes); NULL for all protocols."},
			{Name: "cidr_ipv4", Type: store.TypeText, Description: "IPv4 range of the source (inbound) or destination (outbound), NULL for other kinds of source."},
			{Name: "cidr_ipv6", Type: store.TypeText, Description: "IPv6 range of the source or destination, NULL for other kinds of source."},
			{Name: "prefix_list_id", Type: store.TypeText, Description: "ID of the managed prefix list of the source or destination, NULL for other kinds of source."},
			{Name: "referenced_group_id", Type: store.TypeText, Description: "ID of the security group of the source or destination, NULL for other kinds of source."},
			{Name: "referenced_user_id", Type: store.TypeText, Description: "Account that owns the referenced security group."},
			{Name: "description", Type: store.TypeText, Description: "Description of this source of the rule."},
			{Name: "is_open_to_world", Type: store.TypeBool, Description: "True when cidr_ipv4 is 0.0.0.0/0 or cidr_ipv6 is ::/0."},
		},
	}, fetchSecurityGroupRules)
}

// The key is computed from the rule's content rather than taken from the
// sgr- ID of DescribeSecurityGroupRules, because DescribeSecurityGroups
// alone feeds this table and aws_vpc_security_group, and it is the only
// call that offline collections such as CloudMapper's contain. AWS rejects
// two identical rules in one group, so the content identifies a row, and a
// changed port range or source shows in history as one rule removed and
// another added.

func fetchSecurityGroupRules(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return eachSecurityGroup(ctx, c, func(g types.SecurityGroup) error {
		for _, rule := range securityGroupRules(g) {
			if err := emit(rule); err != nil {
				return err
			}
		}
		return nil
	})
}

// securityGroupRules expands the inbound and outbound permissions of g
// into one record per permission and source.
func securityGroupRules(g types.SecurityGroup) []tables.Record {
	var out []tables.Record
	for _, p := range g.IpPermissions {
		out = append(out, permissionRules(g, p, false)...)
	}
	for _, p := range g.IpPermissionsEgress {
		out = append(out, permissionRules(g, p, true)...)
	}
	return out
}

// permissionRules returns one record per source of p. A permission that
// lists no source at all still gets one row, with every source column
// NULL, so that it is not lost.
func permissionRules(g types.SecurityGroup, p types.IpPermission, egress bool) []tables.Record {
	var out []tables.Record
	for _, r := range p.IpRanges {
		narrowed := types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, IpRanges: []types.IpRange{r}}
		rec := ruleRecord(g, narrowed, egress, aws.ToString(r.CidrIp))
		rec["cidr_ipv4"] = r.CidrIp
		rec["description"] = r.Description
		rec["is_open_to_world"] = aws.ToString(r.CidrIp) == "0.0.0.0/0"
		out = append(out, rec)
	}
	for _, r := range p.Ipv6Ranges {
		narrowed := types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, Ipv6Ranges: []types.Ipv6Range{r}}
		rec := ruleRecord(g, narrowed, egress, aws.ToString(r.CidrIpv6))
		rec["cidr_ipv6"] = r.CidrIpv6
		rec["description"] = r.Description
		rec["is_open_to_world"] = aws.ToString(r.CidrIpv6) == "::/0"
		out = append(out, rec)
	}
	for _, pl := range p.PrefixListIds {
		narrowed := types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, PrefixListIds: []types.PrefixListId{pl}}
		rec := ruleRecord(g, narrowed, egress, aws.ToString(pl.PrefixListId))
		rec["prefix_list_id"] = pl.PrefixListId
		rec["description"] = pl.Description
		out = append(out, rec)
	}
	for _, pair := range p.UserIdGroupPairs {
		// EC2-Classic pairs named the group without its ID.
		ref := aws.ToString(pair.GroupId)
		if ref == "" {
			ref = aws.ToString(pair.GroupName)
		}
		narrowed := types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort, UserIdGroupPairs: []types.UserIdGroupPair{pair}}
		rec := ruleRecord(g, narrowed, egress, ref)
		rec["referenced_group_id"] = textOrNil(ref)
		rec["referenced_user_id"] = pair.UserId
		rec["description"] = pair.Description
		out = append(out, rec)
	}
	if len(out) == 0 {
		out = append(out, ruleRecord(g, p, egress, ""))
	}
	return out
}

// ruleRecord returns the columns that every source of permission p shares.
// p is the permission narrowed to the one source, stored as raw.
func ruleRecord(g types.SecurityGroup, p types.IpPermission, egress bool, source string) tables.Record {
	protocol := aws.ToString(p.IpProtocol)
	direction := "ingress"
	if egress {
		direction = "egress"
	}

	// The API omits the ports of "all traffic" rules, and older CLI outputs
	// may carry -1 there: both mean that ports do not apply.
	var from, to *int32
	if protocol != "-1" {
		from, to = p.FromPort, p.ToPort
	}

	key := strings.Join([]string{
		aws.ToString(g.GroupId), direction, protocol, portText(from), portText(to), source,
	}, "|")
	return tables.Record{
		"rule_key":         key,
		"group_id":         g.GroupId,
		"group_name":       g.GroupName,
		"vpc_id":           textOrNil(aws.ToString(g.VpcId)),
		"is_egress":        egress,
		"ip_protocol":      protocol,
		"protocol_name":    protocolName(protocol),
		"from_port":        from,
		"to_port":          to,
		"is_open_to_world": false,
		"raw":              p,
	}
}

func portText(port *int32) string {
	if port == nil {
		return ""
	}
	return strconv.Itoa(int(*port))
}
