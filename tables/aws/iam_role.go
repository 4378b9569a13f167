package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_iam_role",
		Description: "IAM roles with their trust policy, permission policies and last use.",
		Key:         "arn",
		Global:      true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the role."},
			{Name: "role_name", Type: store.TypeText, Description: "Name of the role."},
			{Name: "role_id", Type: store.TypeText, Description: "Stable unique id of the role, starting with AROA."},
			{Name: "path", Type: store.TypeText, Description: "Path of the role, such as / or /aws-service-role/."},
			{Name: "description", Type: store.TypeText, Description: "Description of the role; NULL when none or unknown."},
			{Name: "create_date", Type: store.TypeTimestamp, Description: "Time the role was created."},
			{Name: "assume_role_policy", Type: store.TypeJSON, Description: "Trust policy document: who may assume the role."},
			{Name: "attached_policy_arns", Type: store.TypeTextList, Description: "ARNs of the managed policies attached to the role."},
			{Name: "inline_policies", Type: store.TypeJSON, Description: "Inline policies of the role as an object of policy name to policy document."},
			{Name: "instance_profile_arns", Type: store.TypeTextList, Description: "ARNs of the EC2 instance profiles that contain the role."},
			{Name: "max_session_duration", Type: store.TypeInt, Description: "Maximum session duration in seconds, 3600 to 43200; NULL when unknown."},
			{Name: "role_last_used_date", Type: store.TypeTimestamp, Description: "Time the role was last assumed, tracked for the last 400 days; NULL when not used in that window."},
			{Name: "role_last_used_region", Type: store.TypeText, Description: "Region in which the role was last assumed; NULL when not used."},
			{Name: "permissions_boundary", Type: store.TypeText, Description: "ARN of the policy set as the role's permissions boundary; NULL when none."},
		},
		IgnoreInDrift: []string{
			"role_last_used_date",
			"role_last_used_region",
			"raw.Detail.RoleLastUsed",
			"raw.Role.RoleLastUsed",
		},
	}, fetchIAMRoles)
}

// iamRoleRaw is the raw column of aws_iam_role: the authorization details
// entry of the role and, when known, its ListRoles or GetRole entry.
type iamRoleRaw struct {
	Detail types.RoleDetail
	Role   *types.Role `json:",omitempty"`
}

func fetchIAMRoles(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	details, err := iamAuthorizationDetails(ctx, c, types.EntityTypeRole)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(details.RoleDetailList))
	for _, r := range details.RoleDetailList {
		names = append(names, aws.ToString(r.RoleName))
	}

	// Authorization details lack MaxSessionDuration and Description, which
	// ListRoles returns.
	roles, err := iamByName(ctx, names, iamListRoles(c), iamGetRole(c), func(r types.Role) string { return aws.ToString(r.RoleName) })
	if err != nil {
		return fmt.Errorf("list roles: %w", err)
	}

	for _, detail := range details.RoleDetailList {
		rec, err := iamRoleRecord(detail, roles)
		if err != nil {
			return err
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

func iamRoleRecord(detail types.RoleDetail, roles map[string]types.Role) (tables.Record, error) {
	name := aws.ToString(detail.RoleName)
	trust, err := PolicyJSON(detail.AssumeRolePolicyDocument)
	if err != nil {
		return nil, fmt.Errorf("trust policy of role %s: %w", name, err)
	}
	inline, err := iamInlinePolicies(detail.RolePolicyList)
	if err != nil {
		return nil, fmt.Errorf("role %s: %w", name, err)
	}
	profiles := make([]string, 0, len(detail.InstanceProfileList))
	for _, p := range detail.InstanceProfileList {
		profiles = append(profiles, aws.ToString(p.Arn))
	}

	raw := iamRoleRaw{Detail: detail}
	rec := tables.Record{
		"arn":                   detail.Arn,
		"role_name":             name,
		"role_id":               detail.RoleId,
		"path":                  detail.Path,
		"create_date":           detail.CreateDate,
		"assume_role_policy":    trust,
		"attached_policy_arns":  iamAttachedPolicyARNs(detail.AttachedManagedPolicies),
		"inline_policies":       inline,
		"instance_profile_arns": profiles,
		"permissions_boundary":  iamBoundaryARN(detail.PermissionsBoundary),
		"tags":                  Tags(detail.Tags),
	}
	if last := detail.RoleLastUsed; last != nil {
		rec["role_last_used_date"] = last.LastUsedDate
		rec["role_last_used_region"] = iamTextOrNil(last.Region)
	}
	if r, ok := roles[name]; ok {
		raw.Role = &r
		rec["description"] = iamTextOrNil(r.Description)
		rec["max_session_duration"] = r.MaxSessionDuration
	}
	rec["raw"] = raw
	return rec, nil
}

// iamListRoles returns a function that reads every page of ListRoles.
func iamListRoles(c *Clients) func(context.Context) ([]types.Role, error) {
	return func(ctx context.Context) ([]types.Role, error) {
		var roles []types.Role
		pages := iam.NewListRolesPaginator(c.IAM, &iam.ListRolesInput{MaxItems: iamPageSize})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			roles = append(roles, page.Roles...)
		}
		return roles, nil
	}
}

// iamGetRole returns a function that calls GetRole for one role name.
func iamGetRole(c *Clients) func(context.Context, string) (*types.Role, error) {
	return func(ctx context.Context, name string) (*types.Role, error) {
		out, err := c.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		if out.Role == nil {
			return nil, fmt.Errorf("get role %s: response has no role", name)
		}
		return out.Role, nil
	}
}
