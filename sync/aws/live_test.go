package aws

import (
	"context"
	"os"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stance-cspm/stance/internal/awsopts"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
)

func TestMain(m *testing.M) { os.Exit(moto.RunTests(m)) }

// useEndpoint points the SDK's standard settings at url for the test, the
// way a user points stance at an emulator.
func useEndpoint(t *testing.T, url string) {
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
}

func lookupTables(t *testing.T, names ...string) []*tables.Table {
	t.Helper()
	var out []*tables.Table
	for _, n := range names {
		tbl, ok := tables.Lookup(n)
		if !ok {
			t.Fatalf("table %s is not registered", n)
		}
		out = append(out, tbl)
	}
	return out
}

func queryInt(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestLiveSyncHistoryOverMoto syncs a world built in moto through the live
// provider and the real SDK clients, re-syncs it unchanged, changes one
// field and checks the versions and time travel.
func TestLiveSyncHistoryOverMoto(t *testing.T) {
	ctx := context.Background()
	srv := moto.Start(t)
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	useEndpoint(t, srv.URL())

	cfg := srv.AWSConfig(ctx, "us-east-1")
	s3c := s3.NewFromConfig(cfg, awsopts.S3PathStyle)
	ec2c := ec2.NewFromConfig(cfg)
	for _, name := range []string{"stance-logs", "stance-data"} {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: awssdk.String(name)}); err != nil {
			t.Fatalf("create bucket %s: %v", name, err)
		}
	}
	sg, err := ec2c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: awssdk.String("ssh"), Description: awssdk.String("ssh from anywhere")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ec2c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: sg.GroupId,
		IpPermissions: []ec2types.IpPermission{{
			IpProtocol: awssdk.String("tcp"), FromPort: awssdk.Int32(22), ToPort: awssdk.Int32(22),
			IpRanges: []ec2types.IpRange{{CidrIp: awssdk.String("0.0.0.0/0")}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	live, err := NewLive(ctx, Options{Regions: []string{"us-east-1"}, MaxAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	opts := sync.Options{
		Tables: lookupTables(t, "aws_s3_bucket", "aws_vpc_security_group", "aws_vpc_security_group_rule"),
		Now:    func() time.Time { return clock },
	}

	first, err := sync.Run(ctx, st, live, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Summary.Status != store.RunOK {
		t.Fatalf("first sync status %q, want ok; partitions: %+v", first.Summary.Status, first.Failed())
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_s3_bucket WHERE name LIKE 'stance-%'"); got != 2 {
		t.Errorf("buckets after first sync: got %d, want 2", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_s3_bucket WHERE json_type(raw) <> 'OBJECT'"); got != 0 {
		t.Errorf("buckets whose raw column is not a JSON object: got %d, want 0", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group_rule WHERE is_open_to_world AND from_port = 22"); got != 1 {
		t.Errorf("rules open to the world on 22: got %d, want 1", got)
	}

	clock = clock.Add(time.Hour)
	second, err := sync.Run(ctx, st, live, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second.Summary.VersionsAdded != 0 || second.Summary.VersionsClosed != 0 {
		t.Errorf("unchanged re-sync: added %d and closed %d versions, want 0 and 0", second.Summary.VersionsAdded, second.Summary.VersionsClosed)
	}

	_, err = s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket:                  awssdk.String("stance-data"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled},
	})
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	third, err := sync.Run(ctx, st, live, opts)
	if err != nil {
		t.Fatal(err)
	}
	if third.Summary.VersionsAdded != 1 || third.Summary.VersionsClosed != 1 {
		t.Errorf("one change: added %d and closed %d versions, want 1 and 1", third.Summary.VersionsAdded, third.Summary.VersionsClosed)
	}

	conn, err := st.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	versioning := func() string {
		t.Helper()
		var v *string
		if err := conn.QueryRowContext(ctx, "SELECT versioning_status FROM aws_s3_bucket WHERE name = 'stance-data'").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			return "NULL"
		}
		return *v
	}
	if got := versioning(); got != "Enabled" {
		t.Errorf("versioning now: got %s, want Enabled", got)
	}
	if err := store.SetAt(ctx, conn, first.SyncTime.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := versioning(); got == "Enabled" {
		t.Errorf("versioning at the first sync: got %s, want the value before the change", got)
	}
}
