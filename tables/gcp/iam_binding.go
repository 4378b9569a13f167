package gcp

import (
	"context"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "gcp_iam_binding",
		Description: "IAM role bindings flattened to one row per resource, role and member, with the binding's condition. " +
			"Bindings set on a folder or the organization appear on the project as inherited rows.",
		Key: "binding_id",
		Columns: []store.Column{
			{Name: "binding_id", Type: store.TypeText, Description: "Identifier of the row: resource, role, member, attached_to and condition expression joined by |."},
			{Name: "resource", Type: store.TypeText, Description: "Full resource name of the resource the member has the role on."},
			{Name: "resource_type", Type: store.TypeText, Description: "Asset type of the resource."},
			{Name: "role", Type: store.TypeText, Description: "Role, such as roles/owner or projects/P/roles/CUSTOM."},
			{Name: "member", Type: store.TypeText, Description: "Principal, such as user:a@example.com, serviceAccount:x@p.iam.gserviceaccount.com, allUsers or allAuthenticatedUsers."},
			{Name: "member_type", Type: store.TypeText, Description: "Kind of principal: the member's text before the colon (user, group, serviceAccount, domain, principal, ...), or allUsers or allAuthenticatedUsers."},
			{Name: "condition_title", Type: store.TypeText, Description: "Title of the binding's condition; NULL for an unconditional binding."},
			{Name: "condition_description", Type: store.TypeText, Description: "Description of the condition."},
			{Name: "condition_expression", Type: store.TypeText, Description: "CEL expression of the condition; NULL for an unconditional binding."},
			{Name: "inherited", Type: store.TypeBool, Description: "True when the binding is set on a folder or the organization above the project, not on the resource itself."},
			{Name: "attached_to", Type: store.TypeText, Description: "Full resource name of the resource whose IAM policy holds the binding."},
		},
	}, fetchIAMBindings)
}

func fetchIAMBindings(ctx context.Context, c *Client, emit func(tables.Record) error) error {
	return listPolicies(ctx, c, gcpasset.ContentIAMPolicy, func(h policyHolder) error {
		if h.asset.IAMPolicy == nil {
			return nil
		}
		for _, b := range h.asset.IAMPolicy.Bindings {
			for _, member := range b.Members {
				rec := h.baseRecord()
				rec["role"] = b.Role
				rec["member"] = member
				rec["member_type"] = memberType(member)
				expression := ""
				if b.Condition != nil {
					expression = b.Condition.Expression
					rec["condition_title"] = nullIfEmpty(b.Condition.Title)
					rec["condition_description"] = nullIfEmpty(b.Condition.Description)
					rec["condition_expression"] = nullIfEmpty(b.Condition.Expression)
				}
				rec["binding_id"] = rowKey(h.resource, b.Role, member, h.attachedTo, expression)
				rec[tables.ColRaw] = b
				if err := emit(rec); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// memberType returns the kind of an IAM principal: "user" for
// user:a@example.com, and the whole member for allUsers and
// allAuthenticatedUsers.
func memberType(member string) string {
	kind, _, ok := strings.Cut(member, ":")
	if !ok {
		return member
	}
	if strings.HasPrefix(kind, "deleted") {
		// deleted:user:a@example.com?uid=123 is a principal that was deleted.
		return "deleted"
	}
	return kind
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
