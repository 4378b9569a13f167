package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/monitor/armmonitor"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// diagnosticTargets are the resource types whose diagnostic settings are
// read, besides the subscription's own (the activity log export). A
// storage account's logs are set on its blob, queue and table services.
var diagnosticTargets = []struct {
	resourceType string
	subresources []string
}{
	{resourceType: keyVaultType},
	{resourceType: nsgType},
	{resourceType: webAppType},
	{resourceType: "microsoft.storage/storageaccounts", subresources: []string{"blobServices/default", "queueServices/default", "tableServices/default"}},
}

func init() {
	register(&tables.Table{
		Name: "azure_monitor_diagnostic_setting",
		Description: "Diagnostic settings, which export logs and metrics to a storage account, Log Analytics workspace or event hub: " +
			"those of the subscription (the activity log) and those of Key Vaults, network security groups, web apps and the " +
			"blob, queue and table services of storage accounts.",
		Key: "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the diagnostic setting in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the diagnostic setting as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the diagnostic setting."},
			{Name: "resource_id", Type: store.TypeText, Description: "Lower-cased id of the resource whose logs are exported: /subscriptions/ID for the activity log, or a resource id."},
			{Name: "resource_type", Type: store.TypeText, Description: "Type of that resource in lower case, microsoft.resources/subscriptions for the activity log."},
			{Name: "resource_group", Type: store.TypeText, Description: "Resource group of that resource in lower case; NULL for the subscription."},
			{Name: "storage_account_id", Type: store.TypeText, Description: "Lower-cased id of the storage account that receives the logs."},
			{Name: "workspace_id", Type: store.TypeText, Description: "Lower-cased id of the Log Analytics workspace that receives the logs."},
			{Name: "event_hub_authorization_rule_id", Type: store.TypeText, Description: "Lower-cased id of the event hub namespace authorization rule used to send the logs."},
			{Name: "event_hub_name", Type: store.TypeText, Description: "Name of the event hub that receives the logs."},
			{Name: "service_bus_rule_id", Type: store.TypeText, Description: "Service Bus rule id, for settings made with the old API."},
			{Name: "marketplace_partner_id", Type: store.TypeText, Description: "Id of the partner solution that receives the logs."},
			{Name: "log_analytics_destination_type", Type: store.TypeText, Description: "Dedicated for resource-specific tables in Log Analytics, NULL or AzureDiagnostics for the legacy table."},
			{Name: "enabled_log_categories", Type: store.TypeTextList, Description: "Log categories and category groups (allLogs, audit) that are exported."},
			{Name: "logs", Type: store.TypeJSON, Description: "Log settings as the API returns them: category or category group, enabled and retention."},
			{Name: "metrics", Type: store.TypeJSON, Description: "Metric settings as the API returns them."},
		},
	}, fetchDiagnosticSettings)
}

func fetchDiagnosticSettings(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armmonitor.NewDiagnosticSettingsClient(c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create diagnostic settings client: %w", err)
	}
	targets := []string{"/subscriptions/" + c.SubscriptionID}
	for _, t := range diagnosticTargets {
		err := c.Graph.Resources(ctx, c.SubscriptionID, []string{t.resourceType}, func(raw json.RawMessage) error {
			var r struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("decode Resource Graph row: %w", err)
			}
			if len(t.subresources) == 0 {
				targets = append(targets, r.ID)
			}
			for _, sub := range t.subresources {
				targets = append(targets, r.ID+"/"+sub)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return eachConcurrently(ctx, c.concurrency(), targets, func(ctx context.Context, target string, emit func(tables.Record) error) error {
		pages := client.NewListPager(strings.TrimPrefix(target, "/"), nil)
		for pages.More() {
			page, err := pages.NextPage(ctx)
			if resourceGone(err) && !strings.EqualFold(target, "/subscriptions/"+c.SubscriptionID) {
				skipGone("diagnostic settings target", target, err)
				return nil
			}
			if err != nil {
				return fmt.Errorf("list diagnostic settings of %s: %w", target, err)
			}
			for _, s := range page.Value {
				if s != nil {
					if err := emit(diagnosticSettingRow(target, s)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}, emit)
}

// diagnosticSettingRow builds the azure_monitor_diagnostic_setting record
// of setting s of the resource with id target.
func diagnosticSettingRow(target string, s *armmonitor.DiagnosticSettingsResource) tables.Record {
	rec := tables.Record{
		"id":             LowerID(deref(s.ID)),
		"arm_id":         textOrNil(deref(s.ID)),
		"name":           s.Name,
		"resource_id":    LowerID(target),
		"resource_type":  textOrNil(ResourceType(target)),
		"resource_group": textOrNil(ResourceGroup(target)),
		"region":         tables.GlobalRegion,
		"raw":            s,
	}
	if p := s.Properties; p != nil {
		rec["storage_account_id"] = LowerID(deref(p.StorageAccountID))
		rec["workspace_id"] = LowerID(deref(p.WorkspaceID))
		rec["event_hub_authorization_rule_id"] = LowerID(deref(p.EventHubAuthorizationRuleID))
		rec["event_hub_name"] = p.EventHubName
		rec["service_bus_rule_id"] = p.ServiceBusRuleID
		rec["marketplace_partner_id"] = p.MarketplacePartnerID
		rec["log_analytics_destination_type"] = p.LogAnalyticsDestinationType
		enabled := []string{}
		for _, l := range p.Logs {
			if l == nil || !deref(l.Enabled) {
				continue
			}
			if name := deref(l.Category); name != "" {
				enabled = append(enabled, name)
			} else if group := deref(l.CategoryGroup); group != "" {
				enabled = append(enabled, group)
			}
		}
		rec["enabled_log_categories"] = enabled
		rec["logs"] = p.Logs
		rec["metrics"] = p.Metrics
	}
	return rec
}

// ResourceType returns the type of the resource an ARM id names, in lower
// case: microsoft.keyvault/vaults, microsoft.storage/storageaccounts/blobservices,
// or microsoft.resources/subscriptions for a subscription id.
func ResourceType(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	provider := -1
	for i, p := range parts {
		if strings.EqualFold(p, "providers") && i+1 < len(parts) {
			provider = i
		}
	}
	if provider < 0 {
		if len(parts) == 2 && strings.EqualFold(parts[0], "subscriptions") {
			return "microsoft.resources/subscriptions"
		}
		if len(parts) == 4 && strings.EqualFold(parts[2], "resourcegroups") {
			return "microsoft.resources/resourcegroups"
		}
		return ""
	}
	typ := []string{parts[provider+1]}
	for i := provider + 2; i < len(parts); i += 2 {
		typ = append(typ, parts[i])
	}
	return strings.ToLower(strings.Join(typ, "/"))
}
