package aws

import (
	"context"
	"strings"
	"testing"

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
		if raw := iamColumn(t, table, rec, "raw").(string); strings.Contains(raw, "SecretAccessKey") {
			t.Errorf("key %s raw: got %s, want no secret access key field", id, raw)
		}
	}
}
