package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMPasswordPolicyMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000109")
	ctx := context.Background()
	const table = "aws_iam_password_policy"

	// No custom policy yet: one row with exists false and NULL settings.
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("without a policy: got %d rows, want 1", len(recs))
	}
	if got := iamColumn(t, table, recs[0], "exists"); got != false {
		t.Errorf("without a policy: exists: got %v, want false", got)
	}
	for _, column := range []string{"minimum_password_length", "require_symbols", "max_password_age", "hard_expiry"} {
		if got := iamColumn(t, table, recs[0], column); got != nil {
			t.Errorf("without a policy: %s: got %v, want NULL", column, got)
		}
	}

	_, err := c.IAM.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength:      aws.Int32(14),
		RequireSymbols:             true,
		RequireNumbers:             true,
		RequireUppercaseCharacters: false,
		RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true,
		MaxPasswordAge:             aws.Int32(90),
		PasswordReusePrevention:    aws.Int32(24),
		HardExpiry:                 aws.Bool(true),
	})
	iamMust(t, "update account password policy", err)

	recs = collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("with a policy: got %d rows, want 1", len(recs))
	}
	checks := []struct {
		column string
		want   any
	}{
		{"exists", true},
		{"minimum_password_length", int64(14)},
		{"require_symbols", true},
		{"require_numbers", true},
		{"require_uppercase_characters", false},
		{"require_lowercase_characters", true},
		{"allow_users_to_change_password", true},
		{"expire_passwords", true},
		{"max_password_age", int64(90)},
		{"password_reuse_prevention", int64(24)},
		{"hard_expiry", true},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, recs[0], tc.column); got != tc.want {
			t.Errorf("with a policy: %s: got %v, want %v", tc.column, got, tc.want)
		}
	}

	if got, want := iamRowKey(t, table, c, recs[0]), "100000000109/100000000109"; got != want {
		t.Errorf("row key: got %q, want %q (the account)", got, want)
	}
}
