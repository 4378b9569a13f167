package aws

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamPageSize is the MaxItems that the IAM list calls pass to their
// paginators. Nil leaves the page size to the API (100 items). Tests lower
// it to force several pages.
var iamPageSize *int32

// iamDetailUnknown reports whether the error of a per-resource detail call
// means that the value is unknown: the offline source lacks the file, or
// the caller may not make the call. Such values become NULL columns and do
// not fail the partition.
func iamDetailUnknown(err error) bool {
	return IsNotCollected(err) || IsErrorCode(err, "AccessDenied", "AccessDeniedException")
}

// iamAuthorizationDetails reads every page of GetAccountAuthorizationDetails
// for the given entity types and returns the pages merged into one output.
func iamAuthorizationDetails(ctx context.Context, c *Clients, filter ...types.EntityType) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	merged := &iam.GetAccountAuthorizationDetailsOutput{}
	pages := iam.NewGetAccountAuthorizationDetailsPaginator(c.IAM, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   filter,
		MaxItems: iamPageSize,
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get account authorization details: %w", err)
		}
		merged.UserDetailList = append(merged.UserDetailList, page.UserDetailList...)
		merged.GroupDetailList = append(merged.GroupDetailList, page.GroupDetailList...)
		merged.RoleDetailList = append(merged.RoleDetailList, page.RoleDetailList...)
		merged.Policies = append(merged.Policies, page.Policies...)
	}
	return merged, nil
}

// iamAttachedPolicyARNs returns the ARNs of attached managed policies, an
// empty list (not NULL) when there are none.
func iamAttachedPolicyARNs(attached []types.AttachedPolicy) []string {
	arns := make([]string, 0, len(attached))
	for _, p := range attached {
		arns = append(arns, aws.ToString(p.PolicyArn))
	}
	return arns
}

// iamInlinePolicies returns inline policies as a map of policy name to
// decoded policy document, an empty map when there are none.
func iamInlinePolicies(policies []types.PolicyDetail) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(policies))
	for _, p := range policies {
		name := aws.ToString(p.PolicyName)
		doc, err := PolicyJSON(p.PolicyDocument)
		if err != nil {
			return nil, fmt.Errorf("inline policy %q: %w", name, err)
		}
		if doc == nil {
			out[name] = json.RawMessage("null")
			continue
		}
		out[name] = json.RawMessage(doc.(string))
	}
	return out, nil
}

// iamBoundaryARN returns the ARN of a permissions boundary, or nil when the
// principal has none.
func iamBoundaryARN(b *types.AttachedPermissionsBoundary) *string {
	if b == nil {
		return nil
	}
	return b.PermissionsBoundaryArn
}

// iamTextOrNil returns s, or nil for "" and for "N/A", which IAM returns
// for a region or service that an access key has never been used in.
func iamTextOrNil(s *string) any {
	if s == nil || *s == "" || *s == "N/A" {
		return nil
	}
	return *s
}

// iamByName reads principals with a list call and returns them by name.
// When the source lacks the list call's response (an offline folder that
// holds GetUser or GetRole per name instead), it calls get for each name.
// The map misses the principals whose details are unknown: all of them
// when the list call is denied, and those whose get call is denied, lacks
// its file or finds no such entity.
func iamByName[T any](ctx context.Context, names []string, list func(context.Context) ([]T, error), get func(context.Context, string) (*T, error), nameOf func(T) string) (map[string]T, error) {
	out := make(map[string]T, len(names))
	items, err := list(ctx)
	switch {
	case err == nil:
		for _, item := range items {
			out[nameOf(item)] = item
		}
		return out, nil
	case IsNotCollected(err):
		// Fall back to one call per name below.
	case iamDetailUnknown(err):
		return out, nil
	default:
		return nil, err
	}
	for _, name := range names {
		item, err := get(ctx, name)
		if err != nil {
			if iamDetailUnknown(err) || IsErrorCode(err, "NoSuchEntity") {
				continue
			}
			return nil, err
		}
		out[name] = *item
	}
	return out, nil
}
