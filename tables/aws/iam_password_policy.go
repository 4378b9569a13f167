package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_iam_password_policy",
		Description: "Password policy of the account's IAM users: exactly one row per account, " +
			"with exists false and NULL settings when the account has no custom policy.",
		Key:    tables.ColAccountID,
		Global: true,
		Columns: []store.Column{
			{Name: "exists", Type: store.TypeBool, Description: "True when the account has a custom password policy; false when AWS defaults apply."},
			{Name: "minimum_password_length", Type: store.TypeInt, Description: "Minimum number of characters, 6 to 128."},
			{Name: "require_symbols", Type: store.TypeBool, Description: "True when passwords need a non-alphanumeric character."},
			{Name: "require_numbers", Type: store.TypeBool, Description: "True when passwords need a digit."},
			{Name: "require_uppercase_characters", Type: store.TypeBool, Description: "True when passwords need an uppercase letter (A to Z)."},
			{Name: "require_lowercase_characters", Type: store.TypeBool, Description: "True when passwords need a lowercase letter (a to z)."},
			{Name: "allow_users_to_change_password", Type: store.TypeBool, Description: "True when users may change their own password."},
			{Name: "expire_passwords", Type: store.TypeBool, Description: "True when passwords expire after max_password_age days."},
			{Name: "max_password_age", Type: store.TypeInt, Description: "Days a password stays valid, 1 to 1095; NULL when passwords do not expire."},
			{Name: "password_reuse_prevention", Type: store.TypeInt, Description: "Number of previous passwords a user may not reuse, 1 to 24; NULL when reuse is allowed."},
			{Name: "hard_expiry", Type: store.TypeBool, Description: "True when users cannot set a new password after theirs expired, so an administrator must reset it."},
		},
	}, fetchIAMPasswordPolicy)
}

func fetchIAMPasswordPolicy(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	out, err := c.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if IsErrorCode(err, "NoSuchEntity") {
		return emit(tables.Record{"exists": false, "raw": map[string]any{}})
	}
	if err != nil {
		return fmt.Errorf("get account password policy: %w", err)
	}
	p := out.PasswordPolicy
	if p == nil {
		return fmt.Errorf("get account password policy: response has no password policy")
	}
	return emit(tables.Record{
		"exists":                         true,
		"minimum_password_length":        p.MinimumPasswordLength,
		"require_symbols":                p.RequireSymbols,
		"require_numbers":                p.RequireNumbers,
		"require_uppercase_characters":   p.RequireUppercaseCharacters,
		"require_lowercase_characters":   p.RequireLowercaseCharacters,
		"allow_users_to_change_password": p.AllowUsersToChangePassword,
		"expire_passwords":               p.ExpirePasswords,
		"max_password_age":               p.MaxPasswordAge,
		"password_reuse_prevention":      p.PasswordReusePrevention,
		"hard_expiry":                    p.HardExpiry,
		"raw":                            p,
	})
}
