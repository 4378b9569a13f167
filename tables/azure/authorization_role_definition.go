package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/authorization/armauthorization/v2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_authorization_role_definition",
		Description: "Azure RBAC role definitions usable in the subscription, built-in and custom, with their actions merged over all permission blocks.",
		Key:         "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the role definition in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the role definition as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the role definition, a GUID that is the same in every subscription for built-in roles."},
			{Name: "role_name", Type: store.TypeText, Description: "Display name of the role, such as Owner or Reader."},
			{Name: "role_type", Type: store.TypeText, Description: "BuiltInRole or CustomRole."},
			{Name: "description", Type: store.TypeText, Description: "Description of the role."},
			{Name: "assignable_scopes", Type: store.TypeTextList, Description: "Scopes at which the role can be assigned; / means every scope."},
			{Name: "actions", Type: store.TypeTextList, Description: "Control plane actions the role allows, such as * or Microsoft.Storage/*/read, from every permission block."},
			{Name: "not_actions", Type: store.TypeTextList, Description: "Control plane actions excluded from actions."},
			{Name: "data_actions", Type: store.TypeTextList, Description: "Data plane actions the role allows."},
			{Name: "not_data_actions", Type: store.TypeTextList, Description: "Data plane actions excluded from data_actions."},
			{Name: "permissions", Type: store.TypeJSON, Description: "Permission blocks of the role as the API returns them."},
		},
	}, fetchRoleDefinitions)
}

func fetchRoleDefinitions(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armauthorization.NewRoleDefinitionsClient(c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create role definitions client: %w", err)
	}
	pages := client.NewListPager("subscriptions/"+c.SubscriptionID, nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list role definitions: %w", err)
		}
		for _, d := range page.Value {
			if d != nil {
				if err := emit(roleDefinitionRow(d)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// roleDefinitionRow builds the azure_authorization_role_definition record
// of a role definition.
func roleDefinitionRow(d *armauthorization.RoleDefinition) tables.Record {
	rec := tables.Record{
		"id":     LowerID(deref(d.ID)),
		"arm_id": textOrNil(deref(d.ID)),
		"name":   d.Name,
		"region": tables.GlobalRegion,
		"raw":    d,
	}
	if p := d.Properties; p != nil {
		actions, notActions, dataActions, notDataActions := []string{}, []string{}, []string{}, []string{}
		for _, perm := range p.Permissions {
			if perm == nil {
				continue
			}
			actions = append(actions, stringList(perm.Actions)...)
			notActions = append(notActions, stringList(perm.NotActions)...)
			dataActions = append(dataActions, stringList(perm.DataActions)...)
			notDataActions = append(notDataActions, stringList(perm.NotDataActions)...)
		}
		rec["role_name"] = p.RoleName
		rec["role_type"] = p.RoleType
		rec["description"] = p.Description
		rec["assignable_scopes"] = stringList(p.AssignableScopes)
		rec["actions"] = actions
		rec["not_actions"] = notActions
		rec["data_actions"] = dataActions
		rec["not_data_actions"] = notDataActions
		rec["permissions"] = p.Permissions
	}
	return rec
}
