package aws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestIAMAccessKeyMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000105")
	ctx := context.Background()
	iamSetPageSize(t, 1) // two keys of one user: ListAccessKeys pages

	user := iamCreateUser(t, c, "deployer")
	iamCreateUser(t, c, "keyless")
	var ids []string
	for i := 0; i < 2; i++ {
		key, err := c.IAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("deployer")})
		iamMust(t, "create access key", err)
		ids = append(ids, aws.ToString(key.AccessKey.AccessKeyId))
	}
	_, err := c.IAM.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("deployer"), AccessKeyId: aws.String(ids[1]), Status: types.StatusTypeInactive})
	iamMust(t, "deactivate access key", err)

	const table = "aws_iam_access_key"
	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d access keys, want 2", len(recs))
	}
	byID := iamByKey(t, recs, "access_key_id")
	for i, id := range ids {
		rec := byID[id]
		if rec == nil {
			t.Errorf("access key %s: missing", id)
			continue
		}
		wantStatus := []string{"Active", "Inactive"}[i]
		checks := []struct {
			column string
			want   any
		}{
			{"user_name", "deployer"},
			{"user_arn", aws.ToString(user.User.Arn)},
			{"status", wantStatus},
			// Never used: IAM returns N/A as the service and region.
			{"last_used_service", nil},
			{"last_used_region", nil},
		}
		for _, tc := range checks {
			if got := iamColumn(t, table, rec, tc.column); got != tc.want {
				t.Errorf("key %s %s: got %v, want %v", id, tc.column, got, tc.want)
			}
		}
		if iamColumn(t, table, rec, "create_date") == nil {
			t.Errorf("key %s create_date: got NULL, want the creation time", id)
		}
		if raw := iamRawText(t, table, rec); strings.Contains(raw, "SecretAccessKey") {
			t.Errorf("key %s raw: got %s, want no secret access key field", id, raw)
		}
	}
}

func TestIAMAccessKeyDemo(t *testing.T) {
	c := iamDemoClients(t)
	// The demo holds no ListUsers or ListAccessKeys files: the key list is
	// unknown, so the partition fails instead of showing no keys.
	if err := iamFetchError(t, "aws_iam_access_key", c); !IsNotCollected(err) {
		t.Errorf("got error %v, want NotCollected", err)
	}
}

func TestIAMAccessKeyFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_access_key")["111122223333"]
	const table = "aws_iam_access_key"
	recs := collect(t, table, c)
	// gone's ListAccessKeys finds no such user: deleted during the sync.
	if len(recs) != 3 {
		t.Fatalf("got %d keys, want 3", len(recs))
	}
	byID := iamByKey(t, recs, "access_key_id")
	used, unused, unknown := byID["AKIAEXAMPLEGAIL00001"], byID["AKIAEXAMPLEGAIL00002"], byID["AKIAEXAMPLEHAL000001"]
	if used == nil || unused == nil || unknown == nil {
		t.Fatalf("got keys %v, want gail's two and hal's one", byID)
	}
	checks := []struct {
		key    string
		rec    map[string]any
		column string
		want   any
	}{
		{"used", used, "user_arn", "arn:aws:iam::111122223333:user/gail"},
		{"used", used, "status", "Active"},
		{"used", used, "last_used_date", time.Date(2024, 8, 9, 10, 11, 12, 0, time.UTC)},
		{"used", used, "last_used_service", "s3"},
		{"used", used, "last_used_region", "us-west-2"},
		{"unused", unused, "status", "Inactive"},
		{"unused", unused, "last_used_date", nil},
		{"unused", unused, "last_used_service", nil}, // N/A
		{"unused", unused, "last_used_region", nil},  // N/A
		{"unknown", unknown, "user_name", "hal"},
		{"unknown", unknown, "last_used_date", nil}, // not collected
		{"unknown", unknown, "create_date", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.key, tc.column, got, tc.want)
		}
	}
}
