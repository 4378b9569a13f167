package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_iam_policy",
		Description: "IAM managed policies with the document of their default version: every customer-managed policy, " +
			"and the AWS-managed policies attached to at least one user, group or role.",
		Key:    "arn",
		Global: true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the policy."},
			{Name: "policy_name", Type: store.TypeText, Description: "Name of the policy."},
			{Name: "policy_id", Type: store.TypeText, Description: "Stable unique id of the policy, starting with ANPA."},
			{Name: "path", Type: store.TypeText, Description: "Path of the policy, such as / or /service-role/."},
			{Name: "description", Type: store.TypeText, Description: "Description of the policy; NULL when none."},
			{Name: "is_aws_managed", Type: store.TypeBool, Description: "True for a policy that AWS maintains (its ARN contains :aws:policy/)."},
			{Name: "attachment_count", Type: store.TypeInt, Description: "Number of users, groups and roles the policy is attached to."},
			{Name: "permissions_boundary_usage_count", Type: store.TypeInt, Description: "Number of users and roles that use the policy as their permissions boundary."},
			{Name: "default_version_id", Type: store.TypeText, Description: "Id of the version in force, such as v3."},
			{Name: "document", Type: store.TypeJSON, Description: "Policy document of the default version; NULL when the response lacks it."},
			{Name: "is_attachable", Type: store.TypeBool, Description: "True when the policy can be attached to users, groups or roles."},
			{Name: "create_date", Type: store.TypeTimestamp, Description: "Time the policy was created."},
			{Name: "update_date", Type: store.TypeTimestamp, Description: "Time the policy was last updated, that is, its last new version."},
		},
		IgnoreInDrift: []string{
			"attachment_count",
			"permissions_boundary_usage_count",
			"raw.AttachmentCount",
			"raw.PermissionsBoundaryUsageCount",
		},
	}, fetchIAMPolicies)
}

func fetchIAMPolicies(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	details, err := iamAuthorizationDetails(ctx, c, types.EntityTypeLocalManagedPolicy, types.EntityTypeAWSManagedPolicy)
	if err != nil {
		return err
	}
	for _, p := range details.Policies {
		arn := aws.ToString(p.Arn)
		awsManaged := strings.Contains(arn, ":aws:policy/")
		// AWS manages over a thousand policies. Only those in use matter.
		if awsManaged && aws.ToInt32(p.AttachmentCount) == 0 {
			continue
		}
		doc, err := PolicyJSON(iamDefaultVersionDocument(p))
		if err != nil {
			return fmt.Errorf("policy %s: %w", arn, err)
		}
		if err := emit(tables.Record{
			"arn":                              arn,
			"policy_name":                      iamPolicyName(p),
			"policy_id":                        p.PolicyId,
			"path":                             p.Path,
			"description":                      iamTextOrNil(p.Description),
			"is_aws_managed":                   awsManaged,
			"attachment_count":                 p.AttachmentCount,
			"permissions_boundary_usage_count": p.PermissionsBoundaryUsageCount,
			"default_version_id":               p.DefaultVersionId,
			"document":                         doc,
			"is_attachable":                    p.IsAttachable,
			"create_date":                      p.CreateDate,
			"update_date":                      p.UpdateDate,
			"raw":                              p,
		}); err != nil {
			return err
		}
	}
	return nil
}

// iamDefaultVersionDocument returns the document of the policy's default
// version: the version marked as default, or else the one whose id is
// DefaultVersionId. It returns nil when the response lists neither.
func iamDefaultVersionDocument(p types.ManagedPolicyDetail) *string {
	for _, v := range p.PolicyVersionList {
		if v.IsDefaultVersion {
			return v.Document
		}
	}
	for _, v := range p.PolicyVersionList {
		if p.DefaultVersionId != nil && aws.ToString(v.VersionId) == *p.DefaultVersionId {
			return v.Document
		}
	}
	return nil
}

// iamPolicyName returns the policy's name, taken from the last segment of
// its ARN when the response lacks PolicyName (moto 5.2.1 omits it).
func iamPolicyName(p types.ManagedPolicyDetail) string {
	if name := aws.ToString(p.PolicyName); name != "" {
		return name
	}
	arn := aws.ToString(p.Arn)
	return arn[strings.LastIndex(arn, "/")+1:]
}
