package aws

import (
	"context"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stance-cspm/stance/internal/awsopts"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
)

// TestAccountsByAssumedRole reads two accounts by assuming a role in each,
// as --accounts with --role-name does, and checks that each bucket lands
// in the account that owns it.
func TestAccountsByAssumedRole(t *testing.T) {
	ctx := context.Background()
	srv := moto.Start(t)
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	useEndpoint(t, srv.URL())
	base := srv.AWSConfig(ctx, "us-east-1")

	accounts := []string{"111122223333", "444455556666"}
	for _, account := range accounts {
		cfg := base.Copy()
		cfg.Credentials = awssdk.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), "arn:aws:iam::"+account+":role/Audit"))
		bucket := "bucket-of-" + account
		if _, err := s3.NewFromConfig(cfg, awsopts.S3PathStyle).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: awssdk.String(bucket)}); err != nil {
			t.Fatalf("create %s: %v", bucket, err)
		}
	}

	live, err := NewLive(ctx, Options{Regions: []string{"us-east-1"}, Accounts: accounts, RoleName: "Audit", MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := sync.Run(ctx, st, live, sync.Options{Tables: lookupTables(t, "aws_s3_bucket")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Status != store.RunOK {
		t.Fatalf("status %q, want ok: %+v", res.Summary.Status, res.Failed())
	}
	for _, account := range accounts {
		q := "SELECT count(*) FROM aws_s3_bucket WHERE account_id = '" + account + "' AND name = 'bucket-of-" + account + "'"
		if got := queryInt(t, st, q); got != 1 {
			t.Errorf("bucket of %s in its account: got %d rows, want 1", account, got)
		}
	}
	if got := queryInt(t, st, "SELECT count(DISTINCT account_id) FROM stance_sync_partition"); got != 2 {
		t.Errorf("accounts synced: got %d, want 2", got)
	}
}

// TestOrgDiscovery lists the member accounts of an organisation, as --org
// does.
func TestOrgDiscovery(t *testing.T) {
	ctx := context.Background()
	srv := moto.Start(t)
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	useEndpoint(t, srv.URL())
	orgs := organizations.NewFromConfig(srv.AWSConfig(ctx, "us-east-1"))
	if _, err := orgs.CreateOrganization(ctx, &organizations.CreateOrganizationInput{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dev", "prod"} {
		if _, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: awssdk.String(name), Email: awssdk.String(name + "@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	live, err := NewLive(ctx, Options{Regions: []string{"us-east-1"}, Org: true, RoleName: "OrganizationAccountAccessRole", MaxAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	scopes, err := live.Scopes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The management account and the two new members.
	if len(scopes) != 3 {
		t.Fatalf("got %d accounts, want 3", len(scopes))
	}
	for _, sc := range scopes {
		if sc.Err != nil {
			t.Errorf("account %s: %v", sc.AccountID, sc.Err)
		}
	}
}

// TestOtherAccountsNeedRoleName checks the error that asks for --role-name.
func TestOtherAccountsNeedRoleName(t *testing.T) {
	ctx := context.Background()
	srv := moto.Start(t)
	useEndpoint(t, srv.URL())
	live, err := NewLive(ctx, Options{Regions: []string{"us-east-1"}, Accounts: []string{"111122223333"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = live.Scopes(ctx)
	if err == nil {
		t.Fatal("got no error, want one asking for --role-name")
	}
	if want := "--role-name"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not mention %s", err, want)
	}
}
