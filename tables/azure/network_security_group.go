package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

const nsgType = "microsoft.network/networksecuritygroups"

func init() {
	register(&tables.Table{
		Name:        "azure_network_security_group",
		Description: "Network security groups with the subnets and network interfaces they apply to. Their rules are in azure_network_security_group_rule.",
		Key:         "id",
		Columns: append(resourceColumns("network security group"),
			store.Column{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state: Succeeded, Updating, Deleting or Failed."},
			store.Column{Name: "resource_guid", Type: store.TypeText, Description: "GUID of the network security group, which stays the same across renames."},
			store.Column{Name: "subnet_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the subnets the group is associated with."},
			store.Column{Name: "network_interface_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the network interfaces the group is associated with."},
			store.Column{Name: "flow_log_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the NSG flow logs of the group."},
			store.Column{Name: "security_rule_count", Type: store.TypeInt, Description: "Number of custom rules, without the default rules."},
		),
	}, fetchNetworkSecurityGroups)
}

func fetchNetworkSecurityGroups(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	groups, err := graphResources[armnetwork.SecurityGroup](ctx, c, nsgType)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := emit(networkSecurityGroupRow(g)); err != nil {
			return err
		}
	}
	return nil
}

// networkSecurityGroupRow builds the azure_network_security_group record of
// a group.
func networkSecurityGroupRow(g *armnetwork.SecurityGroup) tables.Record {
	rec := resourceRecord(g.ID, g.Name, g.Location, g.Tags)
	subnets, nics, flowLogs := []*string{}, []*string{}, []*string{}
	if p := g.Properties; p != nil {
		rec["provisioning_state"] = p.ProvisioningState
		rec["resource_guid"] = p.ResourceGUID
		for _, s := range p.Subnets {
			if s != nil {
				subnets = append(subnets, s.ID)
			}
		}
		for _, n := range p.NetworkInterfaces {
			if n != nil {
				nics = append(nics, n.ID)
			}
		}
		for _, f := range p.FlowLogs {
			if f != nil {
				flowLogs = append(flowLogs, f.ID)
			}
		}
		rec["security_rule_count"] = len(p.SecurityRules)
	}
	rec["subnet_ids"] = LowerIDs(subnets)
	rec["network_interface_ids"] = LowerIDs(nics)
	rec["flow_log_ids"] = LowerIDs(flowLogs)
	rec["raw"] = g
	return rec
}
