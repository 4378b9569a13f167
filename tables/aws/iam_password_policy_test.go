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

func TestIAMPasswordPolicyDemo(t *testing.T) {
	c := iamDemoClients(t)
	// The demo holds no password policy file: unknown, not absent.
	if err := iamFetchError(t, "aws_iam_password_policy", c); !IsNotCollected(err) {
		t.Errorf("got error %v, want NotCollected", err)
	}
}

func TestIAMPasswordPolicyFixture(t *testing.T) {
	accounts := iamFixtureClients(t, "aws_iam_password_policy")
	const table = "aws_iam_password_policy"

	// NoSuchEntity: one row with exists false.
	recs := collect(t, table, accounts["111122223333"])
	if len(recs) != 1 {
		t.Fatalf("without a policy: got %d rows, want 1", len(recs))
	}
	if got := iamColumn(t, table, recs[0], "exists"); got != false {
		t.Errorf("without a policy: exists: got %v, want false", got)
	}

	// A policy without expiry, reuse prevention or hard expiry.
	recs = collect(t, table, accounts["444455556666"])
	if len(recs) != 1 {
		t.Fatalf("with a policy: got %d rows, want 1", len(recs))
	}
	checks := []struct {
		column string
		want   any
	}{
		{"exists", true},
		{"minimum_password_length", int64(8)},
		{"require_symbols", false},
		{"require_uppercase_characters", true},
		{"expire_passwords", false},
		{"max_password_age", nil},
		{"password_reuse_prevention", nil},
		{"hard_expiry", nil},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, recs[0], tc.column); got != tc.want {
			t.Errorf("with a policy: %s: got %v, want %v", tc.column, got, tc.want)
		}
	}

	// AccessDenied: no row, the partition fails so the engine records a
	// blind spot instead of a missing policy.
	if err := iamFetchError(t, table, accounts["777788889999"]); ErrorCode(err) != "AccessDenied" {
		t.Errorf("denied: got error %v, want AccessDenied", err)
	}
}
