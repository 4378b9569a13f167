package azure

import (
	"context"
	"fmt"
	"path"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/authorization/armauthorization/v2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_authorization_role_assignment",
		Description: "Azure RBAC role assignments that apply to the subscription: those at the subscription, its resource groups " +
			"and resources, and those inherited from management groups above it.",
		Key: "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the assignment in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the assignment as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the assignment, a GUID."},
			{Name: "scope", Type: store.TypeText, Description: "Lower-cased scope the role is assigned at: a management group, the subscription, a resource group or a resource."},
			{Name: "role_definition_id", Type: store.TypeText, Description: "Lower-cased id of the role definition; joins azure_authorization_role_definition.id for roles defined in this subscription."},
			{Name: "role_definition_guid", Type: store.TypeText, Description: "GUID of the role definition, the last segment of its id; joins azure_authorization_role_definition.name across scopes."},
			{Name: "principal_id", Type: store.TypeText, Description: "Object id of the user, group or service principal that holds the role."},
			{Name: "principal_type", Type: store.TypeText, Description: "Kind of principal: User, Group, ServicePrincipal, ForeignGroup or Device."},
			{Name: "condition", Type: store.TypeText, Description: "ABAC condition that narrows the assignment, if any."},
			{Name: "condition_version", Type: store.TypeText, Description: "Version of the condition language."},
			{Name: "description", Type: store.TypeText, Description: "Description of the assignment."},
			{Name: "delegated_managed_identity_resource_id", Type: store.TypeText, Description: "Id of the delegated managed identity resource, for group assignments made by a service."},
			{Name: "created_on", Type: store.TypeTimestamp, Description: "Time the assignment was created."},
			{Name: "updated_on", Type: store.TypeTimestamp, Description: "Time the assignment was last updated."},
			{Name: "created_by", Type: store.TypeText, Description: "Object id of the principal that created the assignment."},
		},
	}, fetchRoleAssignments)
}

func fetchRoleAssignments(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armauthorization.NewRoleAssignmentsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create role assignments client: %w", err)
	}
	pages := client.NewListForSubscriptionPager(nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list role assignments: %w", err)
		}
		for _, a := range page.Value {
			if a != nil {
				if err := emit(roleAssignmentRow(a)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// roleAssignmentRow builds the azure_authorization_role_assignment record
// of an assignment. Role assignments have no location: region is global.
func roleAssignmentRow(a *armauthorization.RoleAssignment) tables.Record {
	rec := tables.Record{
		"id":     LowerID(deref(a.ID)),
		"arm_id": textOrNil(deref(a.ID)),
		"name":   a.Name,
		"region": tables.GlobalRegion,
		"raw":    a,
	}
	if p := a.Properties; p != nil {
		roleID := deref(p.RoleDefinitionID)
		rec["scope"] = LowerID(deref(p.Scope))
		rec["role_definition_id"] = LowerID(roleID)
		if roleID != "" {
			rec["role_definition_guid"] = path.Base(roleID)
		}
		rec["principal_id"] = p.PrincipalID
		rec["principal_type"] = p.PrincipalType
		rec["condition"] = p.Condition
		rec["condition_version"] = p.ConditionVersion
		rec["description"] = p.Description
		rec["delegated_managed_identity_resource_id"] = p.DelegatedManagedIdentityResourceID
		rec["created_on"] = p.CreatedOn
		rec["updated_on"] = p.UpdatedOn
		rec["created_by"] = p.CreatedBy
	}
	return rec
}
