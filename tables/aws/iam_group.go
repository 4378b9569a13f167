package aws

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_iam_group",
		Description: "IAM groups with their policies and members.",
		Key:         "arn",
		Global:      true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the group."},
			{Name: "group_name", Type: store.TypeText, Description: "Name of the group."},
			{Name: "group_id", Type: store.TypeText, Description: "Stable unique id of the group, starting with AGPA."},
			{Name: "path", Type: store.TypeText, Description: "Path of the group, / by default."},
			{Name: "create_date", Type: store.TypeTimestamp, Description: "Time the group was created."},
			{Name: "attached_policy_arns", Type: store.TypeTextList, Description: "ARNs of the managed policies attached to the group."},
			{Name: "inline_policies", Type: store.TypeJSON, Description: "Inline policies of the group as an object of policy name to policy document."},
			{Name: "users", Type: store.TypeTextList, Description: "Names of the users in the group, sorted."},
		},
	}, fetchIAMGroups)
}

func fetchIAMGroups(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	details, err := iamAuthorizationDetails(ctx, c, types.EntityTypeUser, types.EntityTypeGroup)
	if err != nil {
		return err
	}

	// Membership is listed per user, in each user's GroupList.
	members := map[string][]string{}
	for _, u := range details.UserDetailList {
		for _, g := range u.GroupList {
			members[g] = append(members[g], aws.ToString(u.UserName))
		}
	}

	for _, g := range details.GroupDetailList {
		name := aws.ToString(g.GroupName)
		inline, err := iamInlinePolicies(g.GroupPolicyList)
		if err != nil {
			return fmt.Errorf("group %s: %w", name, err)
		}
		users := append([]string{}, members[name]...)
		sort.Strings(users)
		if err := emit(tables.Record{
			"arn":                  g.Arn,
			"group_name":           name,
			"group_id":             g.GroupId,
			"path":                 g.Path,
			"create_date":          g.CreateDate,
			"attached_policy_arns": iamAttachedPolicyARNs(g.AttachedManagedPolicies),
			"inline_policies":      inline,
			"users":                users,
			"raw":                  g,
		}); err != nil {
			return err
		}
	}
	return nil
}
