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

func TestIAMRoleDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_role"
	recs := collect(t, table, c)
	if len(recs) != 4 {
		t.Fatalf("got %d roles, want the 4 of the authorization details", len(recs))
	}
	byName := iamByKey(t, recs, "role_name")
	for _, name := range []string{"exfiller", "bad_role", "level1", "level3"} {
		rec := byName[name]
		if rec == nil {
			t.Errorf("role %s: missing", name)
			continue
		}
		// ListRoles is not collected: max_session_duration comes from the
		// demo's iam-get-role files.
		if got := iamColumn(t, table, rec, "max_session_duration"); got != int64(3600) {
			t.Errorf("%s max_session_duration: got %v, want 3600", name, got)
		}
	}

	exfiller := byName["exfiller"]
	if exfiller == nil {
		t.FailNow()
	}
	inline := iamJSON(t, table, exfiller, "inline_policies")
	want := map[string]any{"tmp": map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Action": "s3:*", "Effect": "Allow", "Resource": "*"}}}}
	if !reflect.DeepEqual(inline, want) {
		t.Errorf("exfiller inline_policies: got %v, want %v", inline, want)
	}
	trust := iamJSON(t, table, exfiller, "assume_role_policy").(map[string]any)
	principal := trust["Statement"].([]any)[0].(map[string]any)["Principal"]
	if !reflect.DeepEqual(principal, map[string]any{"Service": "ec2.amazonaws.com"}) {
		t.Errorf("exfiller assume_role_policy principal: got %v, want ec2.amazonaws.com", principal)
	}

	if got, want := iamText(byName["level1"]["arn"]), "arn:aws:iam::123456789012:role/service-role/level1"; got != want {
		t.Errorf("level1 arn: got %q, want %q", got, want)
	}
	if got, want := iamList(t, table, byName["bad_role"], "attached_policy_arns"), []string{"arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"}; !reflect.DeepEqual(got, want) {
		t.Errorf("bad_role attached_policy_arns: got %q, want %q", got, want)
	}
}

func TestIAMRoleFixture(t *testing.T) {
	accounts := iamFixtureClients(t, "aws_iam_role")
	const table = "aws_iam_role"

	recs := collect(t, table, accounts["111122223333"])
	byName := iamByKey(t, recs, "role_name")
	if len(recs) != 3 {
		t.Fatalf("got %d roles, want 3", len(recs))
	}
	cross, denied, uncollected := byName["cross-account"], byName["denied"], byName["uncollected"]
	checks := []struct {
		role   string
		rec    map[string]any
		column string
		want   any
	}{
		{"cross-account", cross, "max_session_duration", int64(14400)},
		{"cross-account", cross, "description", "Assumed by the audit account"},
		{"cross-account", cross, "role_last_used_date", time.Date(2024, 6, 7, 8, 9, 10, 0, time.UTC)},
		{"cross-account", cross, "role_last_used_region", "eu-west-1"},
		{"cross-account", cross, "permissions_boundary", "arn:aws:iam::aws:policy/PowerUserAccess"},
		{"denied", denied, "max_session_duration", nil}, // GetRole AccessDenied
		{"denied", denied, "role_last_used_date", nil},
		{"uncollected", uncollected, "max_session_duration", nil}, // no iam-get-role file
		{"uncollected", uncollected, "role_last_used_date", nil},  // empty RoleLastUsed
		{"uncollected", uncollected, "role_last_used_region", nil},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.role, tc.column, got, tc.want)
		}
	}
	if got, want := iamList(t, table, cross, "instance_profile_arns"), []string{"arn:aws:iam::111122223333:instance-profile/cross"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cross-account instance_profile_arns: got %q, want %q", got, want)
	}
	// The trust policy is URL-encoded in the file, as IAM returns it.
	trust := iamJSON(t, table, cross, "assume_role_policy").(map[string]any)
	principal := trust["Statement"].([]any)[0].(map[string]any)["Principal"]
	if !reflect.DeepEqual(principal, map[string]any{"AWS": "arn:aws:iam::999988887777:root"}) {
		t.Errorf("cross-account assume_role_policy principal: got %v, want the account 999988887777", principal)
	}

	// ListRoles denied: roles are still listed, their ListRoles fields NULL.
	recs = collect(t, table, accounts["444455556666"])
	if len(recs) != 1 {
		t.Fatalf("with ListRoles denied: got %d roles, want 1", len(recs))
	}
	if got := iamColumn(t, table, recs[0], "max_session_duration"); got != nil {
		t.Errorf("with ListRoles denied: max_session_duration: got %v, want NULL", got)
	}
}
