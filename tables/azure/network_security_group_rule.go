package azure

import (
	"context"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_network_security_group_rule",
		Description: "Rules of network security groups, custom and default, one row per rule. The singular and plural address " +
			"and port fields are merged into lists, and destination port ranges are also given as FROM-TO pairs, so \"SSH open to the internet\" is one WHERE clause: " +
			"direction = 'Inbound' AND access = 'Allow' AND source_is_internet AND " +
			"list_bool_or(list_transform(destination_port_ranges_normalized, r -> split_part(r, '-', 1)::INT <= 22 AND 22 <= split_part(r, '-', 2)::INT)).",
		Key: "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the rule in lower case (.../securityRules/NAME or .../defaultSecurityRules/NAME); the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the rule as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the rule."},
			{Name: "resource_group", Type: store.TypeText, Description: "Resource group of the network security group in lower case."},
			{Name: "network_security_group_id", Type: store.TypeText, Description: "Lower-cased id of the network security group; joins azure_network_security_group.id."},
			{Name: "network_security_group_name", Type: store.TypeText, Description: "Name of the network security group."},
			{Name: "is_default", Type: store.TypeBool, Description: "True for a default rule that Azure adds to every group (AllowVnetInBound, DenyAllInBound, ...)."},
			{Name: "direction", Type: store.TypeText, Description: "Inbound or Outbound."},
			{Name: "access", Type: store.TypeText, Description: "Allow or Deny."},
			{Name: "priority", Type: store.TypeInt, Description: "Priority from 100 to 4096 for custom rules (lower wins); default rules have 65000 and above."},
			{Name: "protocol", Type: store.TypeText, Description: "Protocol: Tcp, Udp, Icmp, Esp, Ah or * for any."},
			{Name: "source_address_prefixes", Type: store.TypeTextList, Description: "Source CIDR ranges, addresses or service tags (Internet, VirtualNetwork, *), from sourceAddressPrefix and sourceAddressPrefixes."},
			{Name: "destination_address_prefixes", Type: store.TypeTextList, Description: "Destination CIDR ranges, addresses or service tags, from destinationAddressPrefix and destinationAddressPrefixes."},
			{Name: "source_port_ranges", Type: store.TypeTextList, Description: "Source ports and ranges as written in the rule (22, 1000-2000 or *), from sourcePortRange and sourcePortRanges."},
			{Name: "destination_port_ranges", Type: store.TypeTextList, Description: "Destination ports and ranges as written in the rule, from destinationPortRange and destinationPortRanges."},
			{Name: "destination_port_ranges_normalized", Type: store.TypeTextList, Description: "Destination port ranges as FROM-TO: 22 becomes 22-22 and * becomes 0-65535. Entries that are not ports are left out."},
			{Name: "source_application_security_group_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the application security groups of the source."},
			{Name: "destination_application_security_group_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the application security groups of the destination."},
			{Name: "source_is_internet", Type: store.TypeBool, Description: "True when a source prefix is *, 0.0.0.0/0, ::/0, Internet or Any, so any internet address matches."},
			{Name: "description", Type: store.TypeText, Description: "Description of the rule."},
			{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state of the rule."},
		},
	}, fetchNetworkSecurityGroupRules)
}

func fetchNetworkSecurityGroupRules(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	groups, err := graphResources[armnetwork.SecurityGroup](ctx, c, nsgType)
	if err != nil {
		return err
	}
	for _, g := range groups {
		for _, rec := range networkSecurityGroupRuleRows(g) {
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// networkSecurityGroupRuleRows builds one azure_network_security_group_rule
// record per custom and default rule of a group. Rows take the group's
// location and tags.
func networkSecurityGroupRuleRows(g *armnetwork.SecurityGroup) []tables.Record {
	if g.Properties == nil {
		return nil
	}
	var out []tables.Record
	for _, r := range g.Properties.SecurityRules {
		if r != nil {
			out = append(out, securityRuleRow(g, r, false))
		}
	}
	for _, r := range g.Properties.DefaultSecurityRules {
		if r != nil {
			out = append(out, securityRuleRow(g, r, true))
		}
	}
	return out
}

func securityRuleRow(g *armnetwork.SecurityGroup, r *armnetwork.SecurityRule, isDefault bool) tables.Record {
	groupID := deref(g.ID)
	ruleID := deref(r.ID)
	if ruleID == "" && groupID != "" && r.Name != nil {
		// Resource Graph and the examples always carry rule ids, but the
		// API does not promise them, and the key needs one.
		collection := "securityRules"
		if isDefault {
			collection = "defaultSecurityRules"
		}
		ruleID = groupID + "/" + collection + "/" + *r.Name
	}
	rec := tables.Record{
		"id":                          LowerID(ruleID),
		"arm_id":                      textOrNil(ruleID),
		"name":                        r.Name,
		"resource_group":              textOrNil(ResourceGroup(groupID)),
		"network_security_group_id":   LowerID(groupID),
		"network_security_group_name": g.Name,
		"is_default":                  isDefault,
		"region":                      Region(deref(g.Location)),
		"tags":                        Tags(g.Tags),
		"raw":                         r,
	}

	p := r.Properties
	if p == nil {
		return rec
	}
	sources := mergeList(p.SourceAddressPrefix, p.SourceAddressPrefixes)
	destPorts := mergeList(p.DestinationPortRange, p.DestinationPortRanges)

	rec["direction"] = p.Direction
	rec["access"] = p.Access
	rec["priority"] = p.Priority
	rec["protocol"] = p.Protocol
	rec["source_address_prefixes"] = sources
	rec["destination_address_prefixes"] = mergeList(p.DestinationAddressPrefix, p.DestinationAddressPrefixes)
	rec["source_port_ranges"] = mergeList(p.SourcePortRange, p.SourcePortRanges)
	rec["destination_port_ranges"] = destPorts
	rec["destination_port_ranges_normalized"] = NormalizePortRanges(destPorts)
	rec["source_application_security_group_ids"] = asgIDs(p.SourceApplicationSecurityGroups)
	rec["destination_application_security_group_ids"] = asgIDs(p.DestinationApplicationSecurityGroups)
	rec["source_is_internet"] = anyInternet(sources)
	rec["description"] = p.Description
	rec["provisioning_state"] = p.ProvisioningState
	return rec
}

// mergeList merges the singular and plural form of a rule field. A rule
// uses one of the two, and reading both covers either.
func mergeList(single *string, plural []*string) []string {
	out := []string{}
	if s := strings.TrimSpace(deref(single)); s != "" {
		out = append(out, s)
	}
	for _, p := range plural {
		if s := strings.TrimSpace(deref(p)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// NormalizePortRanges turns port ranges as NSG rules write them (22,
// 1000-2000, *) into FROM-TO pairs. Entries that do not parse as ports in
// 0 to 65535 are left out.
func NormalizePortRanges(ranges []string) []string {
	out := []string{}
	for _, r := range ranges {
		r = strings.TrimSpace(r)
		if r == "*" {
			out = append(out, "0-65535")
			continue
		}
		from, to, isRange := strings.Cut(r, "-")
		if !isRange {
			to = from
		}
		f, err1 := strconv.Atoi(strings.TrimSpace(from))
		t, err2 := strconv.Atoi(strings.TrimSpace(to))
		if err1 != nil || err2 != nil || f < 0 || t > 65535 || f > t {
			continue
		}
		out = append(out, strconv.Itoa(f)+"-"+strconv.Itoa(t))
	}
	return out
}

// internetSources are the source prefixes that match any internet address.
var internetSources = map[string]bool{"*": true, "0.0.0.0/0": true, "::/0": true, "internet": true, "any": true}

func anyInternet(prefixes []string) bool {
	for _, p := range prefixes {
		if internetSources[strings.ToLower(p)] {
			return true
		}
	}
	return false
}

func asgIDs(groups []*armnetwork.ApplicationSecurityGroup) []string {
	ids := []*string{}
	for _, g := range groups {
		if g != nil {
			ids = append(ids, g.ID)
		}
	}
	return LowerIDs(ids)
}
