package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/security/armsecurity"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_security_contact",
		Description: "Security contacts of Microsoft Defender for Cloud: who is notified of alerts and attack paths, and from which severity.",
		Key:         "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the contact in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the contact as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the contact configuration, usually default."},
			{Name: "emails", Type: store.TypeTextList, Description: "Email addresses notified, from the semicolon-separated emails field."},
			{Name: "phone", Type: store.TypeText, Description: "Phone number of the contact."},
			{Name: "is_enabled", Type: store.TypeBool, Description: "True when the contact is notified."},
			{Name: "notifications_by_role_state", Type: store.TypeText, Description: "On when holders of the roles in notifications_by_role_roles are notified too, Off otherwise."},
			{Name: "notifications_by_role_roles", Type: store.TypeTextList, Description: "Subscription roles whose holders are notified: Owner, Contributor, ServiceAdmin, AccountAdmin."},
			{Name: "alert_minimal_severity", Type: store.TypeText, Description: "Lowest alert severity that is notified (Low, Medium or High); NULL when alerts are not a notification source."},
			{Name: "attack_path_minimal_risk_level", Type: store.TypeText, Description: "Lowest attack path risk level that is notified; NULL when attack paths are not a notification source."},
			{Name: "notifications_sources", Type: store.TypeJSON, Description: "Notification sources as the API returns them."},
		},
	}, fetchSecurityContacts)
}

func fetchSecurityContacts(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armsecurity.NewContactsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create Defender for Cloud contacts client: %w", err)
	}
	pages := client.NewListPager(nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list Defender for Cloud security contacts: %w", err)
		}
		for _, contact := range page.Value {
			if contact != nil {
				if err := emit(securityContactRow(contact)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// securityContactRow builds the azure_security_contact record of a contact.
func securityContactRow(c *armsecurity.Contact) tables.Record {
	rec := tables.Record{
		"id":     LowerID(deref(c.ID)),
		"arm_id": textOrNil(deref(c.ID)),
		"name":   c.Name,
		"region": tables.GlobalRegion,
		"raw":    c,
	}

	p := c.Properties
	if p == nil {
		return rec
	}
	emails := []string{}
	for _, e := range strings.Split(deref(p.Emails), ";") {
		if e = strings.TrimSpace(e); e != "" {
			emails = append(emails, e)
		}
	}

	rec["emails"] = emails
	rec["phone"] = p.Phone
	rec["is_enabled"] = p.IsEnabled
	if n := p.NotificationsByRole; n != nil {
		rec["notifications_by_role_state"] = n.State
		roles := []string{}
		for _, r := range n.Roles {
			if r != nil {
				roles = append(roles, string(*r))
			}
		}
		rec["notifications_by_role_roles"] = roles
	}

	for _, src := range p.NotificationsSources {
		switch s := src.(type) {
		case *armsecurity.NotificationsSourceAlert:
			rec["alert_minimal_severity"] = s.MinimalSeverity
		case *armsecurity.NotificationsSourceAttackPath:
			rec["attack_path_minimal_risk_level"] = s.MinimalRiskLevel
		}
	}
	rec["notifications_sources"] = p.NotificationsSources
	return rec
}
