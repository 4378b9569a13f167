package aws

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const iamTestPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

func TestIAMUserMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000101")
	ctx := context.Background()
	iamSetPageSize(t, 1) // two users and two MFA devices: several pages

	policy, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("stance-read"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy", err)
	policyARN := aws.ToString(policy.Policy.Arn)
	_, err = c.IAM.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	iamMust(t, "create group", err)

	_, err = c.IAM.CreateUser(ctx, &iam.CreateUserInput{
		UserName: aws.String("alice"),
		Path:     aws.String("/engineering/"),
		Tags:     []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}},
	})
	iamMust(t, "create user alice", err)
	iamCreateUser(t, c, "bob")
	_, err = c.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Correct-Horse-1"), PasswordResetRequired: true})
	iamMust(t, "create login profile", err)
	// moto 5.2.1 ignores PasswordResetRequired on creation, not on update,
	// and an update without a password removes the password.
	_, err = c.IAM.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Correct-Horse-2"), PasswordResetRequired: aws.Bool(true)})
	iamMust(t, "update login profile", err)
	_, err = c.IAM.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(policyARN)})
	iamMust(t, "attach user policy", err)
	_, err = c.IAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline-s3"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "put user policy", err)
	// NOTE: moto 5.2.1 has no user permissions boundaries (HTTP 500 on
	// PutUserPermissionsBoundary); the offline fixture covers the column.
	_, err = c.IAM.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("alice"), GroupName: aws.String("devs")})
	iamMust(t, "add user to group", err)
	var serials []string
	for _, name := range []string{"alice-phone", "alice-tablet"} {
		device, err := c.IAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
		iamMust(t, "create virtual MFA device", err)
		serial := aws.ToString(device.VirtualMFADevice.SerialNumber)
		serials = append(serials, serial)
		_, err = c.IAM.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
			UserName: aws.String("alice"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321"),
		})
		iamMust(t, "enable MFA device", err)
	}

	recs := collect(t, "aws_iam_user", c)
	if len(recs) != 2 {
		t.Fatalf("got %d users, want 2", len(recs))
	}
	byName := iamByKey(t, recs, "user_name")
	alice, bob := byName["alice"], byName["bob"]
	if alice == nil || bob == nil {
		t.Fatalf("got users %v, want alice and bob", reflect.ValueOf(byName).MapKeys())
	}

	const table = "aws_iam_user"
	checks := []struct {
		user   string
		rec    map[string]any
		column string
		want   any
	}{
		{"alice", alice, "arn", "arn:aws:iam::100000000101:user/engineering/alice"},
		{"alice", alice, "path", "/engineering/"},
		{"alice", alice, "mfa_enabled", true},
		{"alice", alice, "login_profile", true},
		{"alice", alice, "password_reset_required", true},
		{"bob", bob, "arn", "arn:aws:iam::100000000101:user/bob"},
		{"bob", bob, "permissions_boundary", nil},
		{"bob", bob, "mfa_enabled", false},
		{"bob", bob, "login_profile", false},
		{"bob", bob, "login_profile_create_date", nil},
		{"bob", bob, "password_reset_required", nil},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: got %v, want %v", tc.user, tc.column, got, tc.want)
		}
	}
	if got := iamColumn(t, table, alice, "login_profile_create_date"); got == nil {
		t.Errorf("alice login_profile_create_date: got NULL, want the creation time")
	}
	if got := iamColumn(t, table, alice, "create_date"); got == nil {
		t.Errorf("alice create_date: got NULL, want the creation time")
	}

	lists := []struct {
		user   string
		rec    map[string]any
		column string
		want   []string
	}{
		{"alice", alice, "groups", []string{"devs"}},
		{"alice", alice, "attached_policy_arns", []string{policyARN}},
		{"bob", bob, "groups", []string{}},
		{"bob", bob, "attached_policy_arns", []string{}},
	}
	for _, tc := range lists {
		if got := iamList(t, table, tc.rec, tc.column); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: got %q, want %q", tc.user, tc.column, got, tc.want)
		}
	}

	inline := iamJSON(t, table, alice, "inline_policies").(map[string]any)
	doc, _ := inline["inline-s3"].(map[string]any)
	if doc["Version"] != "2012-10-17" {
		t.Errorf("alice inline_policies: got %v, want inline-s3 with its decoded document", inline)
	}
	if got := iamJSON(t, table, bob, "inline_policies"); !reflect.DeepEqual(got, map[string]any{}) {
		t.Errorf("bob inline_policies: got %v, want {}", got)
	}

	devices, _ := iamJSON(t, table, alice, "mfa_devices").([]any)
	var gotSerials []string
	for _, d := range devices {
		entry := d.(map[string]any)
		gotSerials = append(gotSerials, entry["serial_number"].(string))
		if entry["enable_date"] == nil {
			t.Errorf("alice MFA device %v: got no enable_date, want the time it was enabled", entry["serial_number"])
		}
	}
	if !reflect.DeepEqual(gotSerials, serials) {
		t.Errorf("alice mfa_devices serials: got %q, want %q (both pages)", gotSerials, serials)
	}
	if got := iamJSON(t, table, bob, "mfa_devices"); !reflect.DeepEqual(got, []any{}) {
		t.Errorf("bob mfa_devices: got %v, want []", got)
	}
	if got := alice["tags"]; !reflect.DeepEqual(got, map[string]string{"team": "red"}) {
		t.Errorf("alice tags: got %v, want map[team:red]", got)
	}
}
