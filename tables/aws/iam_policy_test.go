package aws

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestIAMPolicyMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000104")
	ctx := context.Background()

	const v2Document = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	versioned, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("versioned"), Path: aws.String("/team/"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy versioned", err)
	versionedARN := aws.ToString(versioned.Policy.Arn)
	_, err = c.IAM.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(versionedARN), PolicyDocument: aws.String(v2Document), SetAsDefault: true})
	iamMust(t, "create policy version", err)
	unused, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("unused"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy unused", err)
	unusedARN := aws.ToString(unused.Policy.Arn)

	// NOTE: the shared moto server does not load AWS-managed policies
	// (moto 5.2.1's iam.load_aws_managed_policies is off), so attaching
	// one fails with NoSuchEntity. The offline tests cover them.
	iamCreateUser(t, c, "reader")
	_, err = c.IAM.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(versionedARN)})
	iamMust(t, "attach user policy", err)

	const table = "aws_iam_policy"
	recs := collect(t, table, c)
	byARN := iamByKey(t, recs, "arn")
	if len(recs) != 2 {
		t.Errorf("got %d policies, want 2", len(recs))
	}

	cases := []struct {
		arn         string
		name        string
		awsManaged  bool
		attachments int64
		version     string
	}{
		{versionedARN, "versioned", false, 1, "v2"},
		{unusedARN, "unused", false, 0, "v1"},
	}
	for _, tc := range cases {
		rec := byARN[tc.arn]
		if rec == nil {
			t.Errorf("policy %s: missing", tc.arn)
			continue
		}
		if got := iamColumn(t, table, rec, "policy_name"); got != tc.name {
			t.Errorf("%s policy_name: got %v, want %s", tc.arn, got, tc.name)
		}
		if got := iamColumn(t, table, rec, "is_aws_managed"); got != tc.awsManaged {
			t.Errorf("%s is_aws_managed: got %v, want %v", tc.arn, got, tc.awsManaged)
		}
		if got := iamColumn(t, table, rec, "attachment_count"); got != tc.attachments {
			t.Errorf("%s attachment_count: got %v, want %d", tc.arn, got, tc.attachments)
		}
		if got := iamColumn(t, table, rec, "default_version_id"); got != tc.version {
			t.Errorf("%s default_version_id: got %v, want %s", tc.arn, got, tc.version)
		}
		if iamColumn(t, table, rec, "document") == nil {
			t.Errorf("%s document: got NULL, want the default version's document", tc.arn)
		}
	}

	// The document is the default version's (v2), not the first version's.
	doc := iamJSON(t, table, byARN[versionedARN], "document")
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("versioned document: got %v, want %v", doc, want)
	}
	if got := iamColumn(t, table, byARN[versionedARN], "path"); got != "/team/" {
		t.Errorf("versioned path: got %v, want /team/", got)
	}
}

func TestIAMPolicyDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_policy"
	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d policies, want the 2 of the authorization details", len(recs))
	}
	byARN := iamByKey(t, recs, "arn")
	ssm, mfa := byARN["arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"], byARN["arn:aws:iam::123456789012:policy/BAD_MFA_POLICY"]
	if ssm == nil || mfa == nil {
		t.Fatalf("got policies %v, want AmazonEC2RoleforSSM and BAD_MFA_POLICY", reflect.ValueOf(byARN).MapKeys())
	}
	checks := []struct {
		policy string
		rec    map[string]any
		column string
		want   any
	}{
		{"AmazonEC2RoleforSSM", ssm, "is_aws_managed", true},
		{"AmazonEC2RoleforSSM", ssm, "attachment_count", int64(1)},
		{"AmazonEC2RoleforSSM", ssm, "default_version_id", "v8"},
		{"AmazonEC2RoleforSSM", ssm, "path", "/job-function/"},
		{"BAD_MFA_POLICY", mfa, "is_aws_managed", false},
		{"BAD_MFA_POLICY", mfa, "attachment_count", int64(0)},
		{"BAD_MFA_POLICY", mfa, "policy_id", "ANPAZQNB3KHGKJK37F2XG"},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.policy, tc.column, got, tc.want)
		}
	}
	doc := iamJSON(t, table, ssm, "document").(map[string]any)
	if statements, _ := doc["Statement"].([]any); len(statements) == 0 {
		t.Errorf("AmazonEC2RoleforSSM document: got %v, want the v8 statements", doc)
	}
}

func TestIAMPolicyFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_policy")["111122223333"]
	const table = "aws_iam_policy"
	recs := collect(t, table, c)

	byARN := iamByKey(t, recs, "arn")
	if _, ok := byARN["arn:aws:iam::aws:policy/job-function/AWSUnusedManagedPolicy"]; ok {
		t.Errorf("got the unattached AWS-managed policy, want it left out")
	}
	if len(recs) != 2 {
		t.Fatalf("got %d policies, want 2", len(recs))
	}
	admin, deny := byARN["arn:aws:iam::aws:policy/AdministratorAccess"], byARN["arn:aws:iam::111122223333:policy/guard/deny-all"]
	if admin == nil || deny == nil {
		t.Fatalf("got policies %v, want AdministratorAccess and deny-all", reflect.ValueOf(byARN).MapKeys())
	}

	checks := []struct {
		policy string
		rec    map[string]any
		column string
		want   any
	}{
		{"AdministratorAccess", admin, "attachment_count", int64(2)},
		{"AdministratorAccess", admin, "description", nil},
		{"deny-all", deny, "description", "Blocks everything"},
		{"deny-all", deny, "permissions_boundary_usage_count", int64(3)},
		{"deny-all", deny, "update_date", time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.policy, tc.column, got, tc.want)
		}
	}

	// No version is flagged as default: the document is v2's, matched by
	// DefaultVersionId, and URL-decoded.
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}}}
	if got := iamJSON(t, table, deny, "document"); !reflect.DeepEqual(got, want) {
		t.Errorf("deny-all document: got %v, want %v", got, want)
	}
}

func TestIAMDefaultVersionDocument(t *testing.T) {
	v1, v2 := aws.String("v1-doc"), aws.String("v2-doc")
	cases := []struct {
		name   string
		policy types.ManagedPolicyDetail
		want   *string
	}{
		{"flagged", types.ManagedPolicyDetail{DefaultVersionId: aws.String("v1"), PolicyVersionList: []types.PolicyVersion{
			{VersionId: aws.String("v1"), Document: v1}, {VersionId: aws.String("v2"), Document: v2, IsDefaultVersion: true}}}, v2},
		{"by id", types.ManagedPolicyDetail{DefaultVersionId: aws.String("v2"), PolicyVersionList: []types.PolicyVersion{
			{VersionId: aws.String("v1"), Document: v1}, {VersionId: aws.String("v2"), Document: v2}}}, v2},
		{"no versions", types.ManagedPolicyDetail{DefaultVersionId: aws.String("v3")}, nil},
		{"no default id", types.ManagedPolicyDetail{PolicyVersionList: []types.PolicyVersion{{VersionId: aws.String("v1"), Document: v1}}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := iamDefaultVersionDocument(tc.policy); got != tc.want {
				t.Errorf("got %v, want %v", aws.ToString(got), aws.ToString(tc.want))
			}
		})
	}
}
