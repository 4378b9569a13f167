package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
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

func TestIAMAccountSummaryDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_account_summary"
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	checks := []struct {
		column string
		want   any
	}{
		{"users", int64(1)},
		{"roles", int64(9)},
		{"policies", int64(4)},
		{"groups", int64(0)},
		{"account_mfa_enabled", int64(1)},
		{"account_access_keys_present", int64(1)},
		{"account_signing_certificates_present", int64(0)},
		{"mfa_devices_in_use", int64(1)},
		{"global_endpoint_token_version", int64(1)},
		{"account_password_present", nil}, // not in the demo's map
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, recs[0], tc.column); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.column, got, tc.want)
		}
	}
}

func TestIAMAccountSummaryFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_account_summary")["111122223333"]
	const table = "aws_iam_account_summary"
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	if got := iamColumn(t, table, recs[0], "account_password_present"); got != int64(1) {
		t.Errorf("account_password_present: got %v, want 1", got)
	}
	if got := iamColumn(t, table, recs[0], "roles"); got != nil {
		t.Errorf("roles: got %v, want NULL for a key the map lacks", got)
	}
	raw, _ := recs[0]["raw"].(map[string]int32)
	if raw["FutureQuota"] != 42 {
		t.Errorf("raw: got %v, want every key, FutureQuota=42 included", raw)
	}
}

func TestIAMSummaryKeysDistinct(t *testing.T) {
	seenKeys, seenColumns := map[string]bool{}, map[string]bool{}
	for _, k := range iamSummaryKeys {
		if seenKeys[k.key] || seenColumns[k.column] {
			t.Errorf("summary key %s (column %s) is listed twice", k.key, k.column)
		}
		seenKeys[k.key], seenColumns[k.column] = true, true
	}
	// Every key that the SDK lists in SummaryKeyType has a column.
	for _, key := range types.SummaryKeyType("").Values() {
		if !seenKeys[string(key)] {
			t.Errorf("summary key %s has no column", key)
		}
	}
}
