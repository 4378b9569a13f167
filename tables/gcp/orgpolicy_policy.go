package gcp

import (
	"context"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "gcp_orgpolicy_policy",
		Description: "Organization policies as set on projects, folders and organizations, one row per resource and constraint. " +
			"Policies set above the project appear on the project as inherited rows.",
		Key: "policy_id",
		Columns: []store.Column{
			{Name: "policy_id", Type: store.TypeText, Description: "Identifier of the row: resource, constraint and attached_to joined by |."},
			{Name: "resource", Type: store.TypeText, Description: "Full resource name of the resource the policy applies to."},
			{Name: "resource_type", Type: store.TypeText, Description: "Asset type of the resource."},
			// The API field is constraint, a reserved word in DuckDB's SQL.
			{Name: "constraint_name", Type: store.TypeText, Description: "Constraint of the policy (its constraint field), such as constraints/iam.disableServiceAccountKeyCreation."},
			{Name: "boolean_enforced", Type: store.TypeBool, Description: "For a boolean constraint, true when it is enforced; NULL for list constraints."},
			{Name: "list_all_values", Type: store.TypeText, Description: "ALLOW or DENY when a list policy allows or denies every value."},
			{Name: "list_allowed_values", Type: store.TypeTextList, Description: "Values a list policy allows."},
			{Name: "list_denied_values", Type: store.TypeTextList, Description: "Values a list policy denies."},
			{Name: "list_inherit_from_parent", Type: store.TypeBool, Description: "True when a list policy merges with its parent's; NULL for boolean constraints."},
			{Name: "restore_default", Type: store.TypeBool, Description: "True when the policy restores the constraint's default."},
			{Name: "update_time", Type: store.TypeTimestamp, Description: "Time the policy last changed."},
			{Name: "inherited", Type: store.TypeBool, Description: "True when the policy is set on a folder or the organization above the project."},
			{Name: "attached_to", Type: store.TypeText, Description: "Full resource name of the resource the policy is set on."},
		},
	}, fetchOrgPolicies)
}

// fetchOrgPolicies emits the policies as set on each resource.
//
// NOTE: rows are the policies as set, not the effective policy: merging a
// list policy with its parents' (inherit_from_parent) is left to queries.
func fetchOrgPolicies(ctx context.Context, c *Client, emit func(tables.Record) error) error {
	return listPolicies(ctx, c, gcpasset.ContentOrgPolicy, func(h policyHolder) error {
		for _, p := range h.asset.OrgPolicies {
			rec := h.baseRecord()
			rec["policy_id"] = rowKey(h.resource, p.Constraint, h.attachedTo)
			rec["constraint_name"] = p.Constraint
			rec["boolean_enforced"] = p.BooleanEnforced
			rec["restore_default"] = p.RestoreDefault
			rec["update_time"] = p.UpdateTime
			if l := p.ListPolicy; l != nil {
				rec["list_all_values"] = nullIfEmpty(l.AllValues)
				rec["list_allowed_values"] = l.AllowedValues
				rec["list_denied_values"] = l.DeniedValues
				rec["list_inherit_from_parent"] = l.InheritFromParent
			}
			rec[tables.ColRaw] = p
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}
