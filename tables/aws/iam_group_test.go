package aws

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMGroupMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000102")
	ctx := context.Background()

	policy, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("stance-read"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy", err)
	policyARN := aws.ToString(policy.Policy.Arn)
	for _, g := range []string{"admins", "empty"} {
		_, err := c.IAM.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g), Path: aws.String("/teams/")})
		iamMust(t, "create group "+g, err)
	}
	// Users are added out of name order: the users column is sorted.
	for _, u := range []string{"zoe", "adam", "outsider"} {
		iamCreateUser(t, c, u)
	}
	for _, u := range []string{"zoe", "adam"} {
		_, err := c.IAM.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String(u)})
		iamMust(t, "add user to group", err)
	}
	_, err = c.IAM.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admins"), PolicyArn: aws.String(policyARN)})
	iamMust(t, "attach group policy", err)
	_, err = c.IAM.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("admins"), PolicyName: aws.String("inline-s3"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "put group policy", err)

	const table = "aws_iam_group"
	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d groups, want 2", len(recs))
	}
	byName := iamByKey(t, recs, "group_name")
	admins, empty := byName["admins"], byName["empty"]
	if admins == nil || empty == nil {
		t.Fatalf("got groups %v, want admins and empty", reflect.ValueOf(byName).MapKeys())
	}

	if got, want := iamText(admins["arn"]), "arn:aws:iam::100000000102:group/teams/admins"; got != want {
		t.Errorf("admins arn: got %q, want %q", got, want)
	}
	if got, want := iamText(admins["path"]), "/teams/"; got != want {
		t.Errorf("admins path: got %q, want %q", got, want)
	}
	lists := []struct {
		group  string
		rec    map[string]any
		column string
		want   []string
	}{
		{"admins", admins, "users", []string{"adam", "zoe"}},
		{"admins", admins, "attached_policy_arns", []string{policyARN}},
		{"empty", empty, "users", []string{}},
		{"empty", empty, "attached_policy_arns", []string{}},
	}
	for _, tc := range lists {
		if got := iamList(t, table, tc.rec, tc.column); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: got %q, want %q", tc.group, tc.column, got, tc.want)
		}
	}
	inline := iamJSON(t, table, admins, "inline_policies").(map[string]any)
	if _, ok := inline["inline-s3"].(map[string]any); !ok || len(inline) != 1 {
		t.Errorf("admins inline_policies: got %v, want only inline-s3 as a decoded document", inline)
	}
	if got := iamColumn(t, table, admins, "create_date"); got == nil {
		t.Errorf("admins create_date: got NULL, want the creation time")
	}
}

func TestIAMGroupDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_group"
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d groups, want the 1 of the authorization details", len(recs))
	}
	g := recs[0]
	if got, want := iamText(g["arn"]), "arn:aws:iam::aws:group/GROUP_WITH_BAD_INLINE_POLICY"; got != want {
		t.Errorf("arn: got %q, want %q", got, want)
	}
	if got, want := iamList(t, table, g, "users"), []string{"USER"}; !reflect.DeepEqual(got, want) {
		t.Errorf("users: got %q, want %q (from USER's GroupList)", got, want)
	}
	if got, want := iamList(t, table, g, "attached_policy_arns"), []string{"arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"}; !reflect.DeepEqual(got, want) {
		t.Errorf("attached_policy_arns: got %q, want %q", got, want)
	}
	if got := iamJSON(t, table, g, "inline_policies"); !reflect.DeepEqual(got, map[string]any{}) {
		t.Errorf("inline_policies: got %v, want {}", got)
	}
}
