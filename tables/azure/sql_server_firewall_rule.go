package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/sql/armsql"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_sql_server_firewall_rule",
		Description: "Server-level IPv4 firewall rules of Azure SQL logical servers. The rule from 0.0.0.0 to 0.0.0.0 is the \"Allow Azure services\" switch.",
		Key:         "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the rule in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the rule as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the rule."},
			{Name: "resource_group", Type: store.TypeText, Description: "Resource group of the server in lower case."},
			{Name: "server_id", Type: store.TypeText, Description: "Lower-cased id of the server; joins azure_sql_server.id."},
			{Name: "server_name", Type: store.TypeText, Description: "Name of the server."},
			{Name: "start_ip_address", Type: store.TypeText, Description: "First IPv4 address of the allowed range."},
			{Name: "end_ip_address", Type: store.TypeText, Description: "Last IPv4 address of the allowed range."},
			{Name: "allows_azure_services", Type: store.TypeBool, Description: "True for the rule 0.0.0.0 to 0.0.0.0, which lets every Azure service, of any tenant, connect."},
			{Name: "allows_any_address", Type: store.TypeBool, Description: "True when the range covers every IPv4 address, 0.0.0.0 to 255.255.255.255."},
		},
	}, fetchSQLFirewallRules)
}

func fetchSQLFirewallRules(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	servers, err := graphResources[armsql.Server](ctx, c, sqlServerType)
	if err != nil {
		return err
	}
	client, err := armsql.NewFirewallRulesClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create SQL firewall rules client: %w", err)
	}
	return eachConcurrently(ctx, c.concurrency(), servers, func(ctx context.Context, s *armsql.Server, emit func(tables.Record) error) error {
		pages := client.NewListByServerPager(ResourceGroup(deref(s.ID)), deref(s.Name), nil)
		for pages.More() {
			page, err := pages.NextPage(ctx)
			if resourceGone(err) {
				skipGone("SQL server", deref(s.ID), err)
				return nil
			}
			if err != nil {
				return fmt.Errorf("list firewall rules of SQL server %s: %w", deref(s.Name), err)
			}
			for _, r := range page.Value {
				if r == nil {
					continue
				}
				if err := emit(sqlFirewallRuleRow(s, r)); err != nil {
					return err
				}
			}
		}
		return nil
	}, emit)
}

// sqlFirewallRuleRow builds the azure_sql_server_firewall_rule record of a
// rule of server s. Rows take the server's location and tags.
func sqlFirewallRuleRow(s *armsql.Server, r *armsql.FirewallRule) tables.Record {
	id := deref(r.ID)
	serverID := parentID(id)
	if serverID == "" {
		serverID = deref(s.ID)
	}
	rec := tables.Record{
		"id":             LowerID(id),
		"arm_id":         textOrNil(id),
		"name":           r.Name,
		"resource_group": textOrNil(ResourceGroup(serverID)),
		"server_id":      LowerID(serverID),
		"server_name":    textOrNil(idSegment(serverID, "servers")),
		"region":         Region(deref(s.Location)),
		"tags":           Tags(s.Tags),
		"raw":            r,
	}
	if p := r.Properties; p != nil {
		start, end := deref(p.StartIPAddress), deref(p.EndIPAddress)
		rec["start_ip_address"] = textOrNil(start)
		rec["end_ip_address"] = textOrNil(end)
		rec["allows_azure_services"] = start == "0.0.0.0" && end == "0.0.0.0"
		rec["allows_any_address"] = start == "0.0.0.0" && end == "255.255.255.255"
	}
	return rec
}
