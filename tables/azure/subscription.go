package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions/v2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_subscription",
		Description: "The subscription itself: its name, state, tenant, policies and the management groups it was found under.",
		Key:         "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the subscription in lower case, /subscriptions/<subscription id>; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the subscription as the API returned it."},
			{Name: "subscription_id", Type: store.TypeText, Description: "Subscription id, a GUID; the same as account_id."},
			{Name: "display_name", Type: store.TypeText, Description: "Display name of the subscription."},
			{Name: "state", Type: store.TypeText, Description: "State of the subscription: Enabled, Warned, PastDue, Disabled or Deleted."},
			{Name: "tenant_id", Type: store.TypeText, Description: "Microsoft Entra tenant that the subscription belongs to."},
			{Name: "authorization_source", Type: store.TypeText, Description: "How the caller is authorised on the subscription: Legacy, RoleBased or both."},
			{Name: "quota_id", Type: store.TypeText, Description: "Offer quota of the subscription, such as PayAsYouGo_2014-09-01."},
			{Name: "spending_limit", Type: store.TypeText, Description: "Spending limit: On, Off or CurrentPeriodOff."},
			{Name: "managed_by_tenant_ids", Type: store.TypeTextList, Description: "Tenants that manage the subscription through Azure Lighthouse."},
			{Name: "management_group_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the management groups above the subscription, when the sync found it through --management-group; empty otherwise."},
		},
	}, fetchSubscription)
}

func fetchSubscription(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	sub := c.Subscription
	if sub == nil {
		client, err := armsubscriptions.NewClient(c.Credential, c.Options)
		if err != nil {
			return fmt.Errorf("create subscriptions client: %w", err)
		}
		resp, err := client.Get(ctx, c.SubscriptionID, nil)
		if err != nil {
			return fmt.Errorf("get subscription %s: %w", c.SubscriptionID, err)
		}
		sub = &resp.Subscription
	}
	return emit(subscriptionRow(sub, c.ManagementGroups))
}

// subscriptionRow builds the azure_subscription record of a subscription.
func subscriptionRow(s *armsubscriptions.Subscription, managementGroups []string) tables.Record {
	id := deref(s.ID)
	if id == "" && s.SubscriptionID != nil {
		id = "/subscriptions/" + *s.SubscriptionID
	}
	var tenants []string
	for _, t := range s.ManagedByTenants {
		if t != nil && t.TenantID != nil {
			tenants = append(tenants, *t.TenantID)
		}
	}
	groups := []string{}
	for _, g := range managementGroups {
		if g != "" {
			groups = append(groups, strings.ToLower(g))
		}
	}
	return tables.Record{
		"id":                    LowerID(id),
		"arm_id":                textOrNil(id),
		"subscription_id":       s.SubscriptionID,
		"display_name":          s.DisplayName,
		"state":                 s.State,
		"tenant_id":             s.TenantID,
		"authorization_source":  s.AuthorizationSource,
		"quota_id":              nested(s.SubscriptionPolicies, func(p *armsubscriptions.SubscriptionPolicies) *string { return p.QuotaID }),
		"spending_limit":        nested(s.SubscriptionPolicies, func(p *armsubscriptions.SubscriptionPolicies) *armsubscriptions.SpendingLimit { return p.SpendingLimit }),
		"managed_by_tenant_ids": tenants,
		"management_group_ids":  groups,
		"tags":                  Tags(s.Tags),
		"raw":                   s,
	}
}
