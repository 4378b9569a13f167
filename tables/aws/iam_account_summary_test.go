package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMAccountSummaryMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000110")
	ctx := context.Background()
	for _, name := range []string{"one", "two", "three"} {
		iamCreateUser(t, c, name)
	}
	_, err := c.IAM.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")})
	iamMust(t, "create group", err)
	_, err = c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy", err)

	const table = "aws_iam_account_summary"
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	rec := recs[0]
	checks := []struct {
		column string
		want   any
	}{
		{"users", int64(3)},
		{"groups", int64(1)},
		{"policies", int64(1)},
		{"account_mfa_enabled", int64(0)},
		{"account_access_keys_present", int64(0)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, rec, tc.column); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.column, got, tc.want)
		}
	}
	if got := iamColumn(t, table, rec, "users_quota"); got == nil {
		t.Errorf("users_quota: got NULL, want the quota")
	}
	if got, want := iamRowKey(t, table, c, rec), "100000000110/100000000110"; got != want {
		t.Errorf("row key: got %q, want %q (the account)", got, want)
	}
}
