package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_monitor_activity_log_alert",
		Description: "Activity log alert rules, which notify action groups of matching activity log events, " +
			"with the operation name and category of their condition picked out.",
		Key: "id",
		Columns: append(resourceColumns("alert rule"),
			store.Column{Name: "enabled", Type: store.TypeBool, Description: "True when the alert rule is enabled."},
			store.Column{Name: "description", Type: store.TypeText, Description: "Description of the alert rule."},
			store.Column{Name: "scopes", Type: store.TypeTextList, Description: "Lower-cased ids of the scopes the rule watches, usually the subscription."},
			store.Column{Name: "category", Type: store.TypeText, Description: "Activity log category the condition requires (field category equals), such as Administrative or Security."},
			store.Column{Name: "operation_name", Type: store.TypeText, Description: "Operation the condition requires (field operationName equals), such as Microsoft.Network/networkSecurityGroups/write."},
			store.Column{Name: "resource_type", Type: store.TypeText, Description: "Resource type the condition requires (field resourceType equals), in lower case."},
			store.Column{Name: "condition", Type: store.TypeJSON, Description: "The whole condition: allOf leaf conditions and anyOf groups."},
			store.Column{Name: "action_group_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the action groups notified."},
		),
	}, fetchActivityLogAlerts)
}

func fetchActivityLogAlerts(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armmonitor.NewActivityLogAlertsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create activity log alerts client: %w", err)
	}
	pages := client.NewListBySubscriptionIDPager(nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list activity log alerts: %w", err)
		}
		for _, a := range page.Value {
			if a != nil {
				if err := emit(activityLogAlertRow(a)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// activityLogAlertRow builds the azure_monitor_activity_log_alert record of
// an alert rule.
func activityLogAlertRow(a *armmonitor.ActivityLogAlertResource) tables.Record {
	rec := resourceRecord(a.ID, a.Name, a.Location, a.Tags)
	if p := a.Properties; p != nil {
		rec["enabled"] = p.Enabled
		rec["description"] = p.Description
		rec["scopes"] = LowerIDs(p.Scopes)
		rec["condition"] = p.Condition
		if p.Condition != nil {
			for _, leaf := range p.Condition.AllOf {
				if leaf == nil || leaf.Equals == nil {
					continue
				}
				switch strings.ToLower(deref(leaf.Field)) {
				case "category":
					rec["category"] = *leaf.Equals
				case "operationname":
					rec["operation_name"] = *leaf.Equals
				case "resourcetype":
					rec["resource_type"] = strings.ToLower(*leaf.Equals)
				}
			}
		}
		groups := []*string{}
		if p.Actions != nil {
			for _, g := range p.Actions.ActionGroups {
				if g != nil {
					groups = append(groups, g.ActionGroupID)
				}
			}
		}
		rec["action_group_ids"] = LowerIDs(groups)
	}
	rec["raw"] = a
	return rec
}
