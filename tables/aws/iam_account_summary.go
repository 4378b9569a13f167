package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// iamSummaryKeys maps the keys of GetAccountSummary's SummaryMap to the
// columns of aws_iam_account_summary. Keys that IAM adds later are kept in
// raw only.
var iamSummaryKeys = []struct {
	key, column, description string
}{
	{"AccountMFAEnabled", "account_mfa_enabled", "1 when the root user has an MFA device, else 0."},
	{"AccountAccessKeysPresent", "account_access_keys_present", "1 when the root user has access keys, else 0."},
	{"AccountPasswordPresent", "account_password_present", "1 when the root user has a password, else 0; NULL when the response omits the key, as many do."},
	{"AccountSigningCertificatesPresent", "account_signing_certificates_present", "1 when the root user has signing certificates, else 0."},
	{"Users", "users", "Number of IAM users."},
	{"UsersQuota", "users_quota", "Maximum number of IAM users."},
	{"Groups", "groups", "Number of IAM groups."},
	{"GroupsQuota", "groups_quota", "Maximum number of IAM groups."},
	{"Roles", "roles", "Number of IAM roles."},
	{"RolesQuota", "roles_quota", "Maximum number of IAM roles."},
	{"Policies", "policies", "Number of customer-managed policies."},
	{"PoliciesQuota", "policies_quota", "Maximum number of customer-managed policies."},
	{"PolicyVersionsInUse", "policy_versions_in_use", "Number of policy versions in use, as IAM counts them against policy_versions_in_use_quota."},
	{"PolicyVersionsInUseQuota", "policy_versions_in_use_quota", "Maximum number of policy versions in use."},
	{"VersionsPerPolicyQuota", "versions_per_policy_quota", "Maximum number of versions per managed policy."},
	{"MFADevices", "mfa_devices", "Number of MFA devices, assigned or not."},
	{"MFADevicesInUse", "mfa_devices_in_use", "Number of MFA devices assigned to a user."},
	{"InstanceProfiles", "instance_profiles", "Number of instance profiles."},
	{"InstanceProfilesQuota", "instance_profiles_quota", "Maximum number of instance profiles."},
	{"Providers", "providers", "Number of SAML and OpenID Connect identity providers."},
	{"ServerCertificates", "server_certificates", "Number of server certificates."},
	{"ServerCertificatesQuota", "server_certificates_quota", "Maximum number of server certificates."},
	{"AccessKeysPerUserQuota", "access_keys_per_user_quota", "Maximum number of access keys per user."},
	{"SigningCertificatesPerUserQuota", "signing_certificates_per_user_quota", "Maximum number of signing certificates per user."},
	{"GroupsPerUserQuota", "groups_per_user_quota", "Maximum number of groups a user can belong to."},
	{"AttachedPoliciesPerUserQuota", "attached_policies_per_user_quota", "Maximum number of managed policies attached to a user."},
	{"AttachedPoliciesPerGroupQuota", "attached_policies_per_group_quota", "Maximum number of managed policies attached to a group."},
	{"AttachedPoliciesPerRoleQuota", "attached_policies_per_role_quota", "Maximum number of managed policies attached to a role."},
	{"UserPolicySizeQuota", "user_policy_size_quota", "Maximum size in characters of a user's inline policies."},
	{"GroupPolicySizeQuota", "group_policy_size_quota", "Maximum size in characters of a group's inline policies."},
	{"RolePolicySizeQuota", "role_policy_size_quota", "Maximum size in characters of a role's inline policies."},
	{"PolicySizeQuota", "policy_size_quota", "Maximum size in characters of a managed policy."},
	{"AssumeRolePolicySizeQuota", "assume_role_policy_size_quota", "Maximum size in characters of a role's trust policy."},
	{"GlobalEndpointTokenVersion", "global_endpoint_token_version", "Version of the STS global endpoint's session tokens: 1 (valid in default regions only) or 2 (valid in all regions)."},
}

func init() {
	cols := make([]store.Column, 0, len(iamSummaryKeys))
	for _, k := range iamSummaryKeys {
		cols = append(cols, store.Column{Name: k.column, Type: store.TypeInt, Description: k.description})
	}
	register(&tables.Table{
		Name:        "aws_iam_account_summary",
		Description: "IAM usage and quotas of the account, one row per account, from GetAccountSummary.",
		Key:         tables.ColAccountID,
		Global:      true,
		Columns:     cols,
	}, fetchIAMAccountSummary)
}

func fetchIAMAccountSummary(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	out, err := c.IAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return fmt.Errorf("get account summary: %w", err)
	}
	rec := tables.Record{"raw": out.SummaryMap}
	for _, k := range iamSummaryKeys {
		if v, ok := out.SummaryMap[k.key]; ok {
			rec[k.column] = v
		}
	}
	return emit(rec)
}
