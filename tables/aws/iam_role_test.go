package aws

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const iamTestTrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func TestIAMRoleMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000103")
	ctx := context.Background()
	iamSetPageSize(t, 2) // three roles: ListRoles returns two pages

	policy, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("stance-read"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy", err)
	policyARN := aws.ToString(policy.Policy.Arn)

	roles := []struct {
		name     string
		duration int32
	}{{"web", 7200}, {"batch", 3600}, {"audit", 43200}}
	for _, r := range roles {
		_, err := c.IAM.CreateRole(ctx, &iam.CreateRoleInput{
			RoleName:                 aws.String(r.name),
			Path:                     aws.String("/app/"),
			AssumeRolePolicyDocument: aws.String(iamTestTrustPolicy),
			MaxSessionDuration:       aws.Int32(r.duration),
			Description:              aws.String("role " + r.name),
			Tags:                     []types.Tag{{Key: aws.String("app"), Value: aws.String(r.name)}},
		})
		iamMust(t, "create role "+r.name, err)
	}
	_, err = c.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("web"), PolicyArn: aws.String(policyARN)})
	iamMust(t, "attach role policy", err)
	_, err = c.IAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("web"), PolicyName: aws.String("inline-s3"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "put role policy", err)
	_, err = c.IAM.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("web"), PermissionsBoundary: aws.String(policyARN)})
	iamMust(t, "put role permissions boundary", err)
	profile, err := c.IAM.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web-profile")})
	iamMust(t, "create instance profile", err)
	_, err = c.IAM.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web-profile"), RoleName: aws.String("web")})
	iamMust(t, "add role to instance profile", err)

	const table = "aws_iam_role"
	recs := collect(t, table, c)
	if len(recs) != len(roles) {
		t.Fatalf("got %d roles, want %d", len(recs), len(roles))
	}
	byName := iamByKey(t, recs, "role_name")

	// max_session_duration and description come from ListRoles, so each
	// role having its own proves that both pages were read.
	for _, r := range roles {
		rec := byName[r.name]
		if rec == nil {
			t.Errorf("role %s: missing", r.name)
			continue
		}
		if got, want := iamColumn(t, table, rec, "max_session_duration"), int64(r.duration); got != want {
			t.Errorf("%s max_session_duration: got %v, want %d", r.name, got, want)
		}
		if got, want := iamColumn(t, table, rec, "description"), "role "+r.name; got != want {
			t.Errorf("%s description: got %v, want %q", r.name, got, want)
		}
		if got, want := rec["tags"], map[string]string{"app": r.name}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s tags: got %v, want %v", r.name, got, want)
		}
		trust := iamJSON(t, table, rec, "assume_role_policy").(map[string]any)
		statements, _ := trust["Statement"].([]any)
		if len(statements) != 1 || statements[0].(map[string]any)["Principal"].(map[string]any)["Service"] != "ec2.amazonaws.com" {
			t.Errorf("%s assume_role_policy: got %v, want the decoded trust policy of ec2.amazonaws.com", r.name, trust)
		}
	}

	web, batch := byName["web"], byName["batch"]
	if web == nil || batch == nil {
		t.FailNow()
	}
	if got, want := iamText(web["arn"]), "arn:aws:iam::100000000103:role/app/web"; got != want {
		t.Errorf("web arn: got %q, want %q", got, want)
	}
	if got := iamColumn(t, table, web, "permissions_boundary"); got != policyARN {
		t.Errorf("web permissions_boundary: got %v, want %s", got, policyARN)
	}
	if got := iamColumn(t, table, batch, "permissions_boundary"); got != nil {
		t.Errorf("batch permissions_boundary: got %v, want NULL", got)
	}
	lists := []struct {
		role   string
		rec    map[string]any
		column string
		want   []string
	}{
		{"web", web, "attached_policy_arns", []string{policyARN}},
		{"web", web, "instance_profile_arns", []string{aws.ToString(profile.InstanceProfile.Arn)}},
		{"batch", batch, "attached_policy_arns", []string{}},
		{"batch", batch, "instance_profile_arns", []string{}},
	}
	for _, tc := range lists {
		if got := iamList(t, table, tc.rec, tc.column); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: got %q, want %q", tc.role, tc.column, got, tc.want)
		}
	}
	inline := iamJSON(t, table, web, "inline_policies").(map[string]any)
	if _, ok := inline["inline-s3"].(map[string]any); !ok {
		t.Errorf("web inline_policies: got %v, want inline-s3 as a decoded document", inline)
	}
	if got := iamColumn(t, table, web, "role_last_used_date"); got != nil {
		t.Errorf("web role_last_used_date: got %v, want NULL for a role never assumed", got)
	}
}
