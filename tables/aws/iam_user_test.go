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

func TestIAMUserDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_user"
	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d users, want the 2 of the authorization details", len(recs))
	}
	byName := iamByKey(t, recs, "user_name")
	bad, user := byName["USER_WITH_BAD_INLINE_POLICY"], byName["USER"]
	if bad == nil || user == nil {
		t.Fatalf("got users %v, want USER_WITH_BAD_INLINE_POLICY and USER", reflect.ValueOf(byName).MapKeys())
	}

	if got, want := iamText(user["arn"]), "arn:aws:iam::aws:user/USER"; got != want {
		t.Errorf("USER arn: got %q, want %q", got, want)
	}
	if got, want := iamText(user["user_id"]), "AIDAS2OTVRSQISETXJGWF"; got != want {
		t.Errorf("USER user_id: got %q, want %q", got, want)
	}
	if got, want := iamList(t, table, user, "groups"), []string{"GROUP_WITH_BAD_INLINE_POLICY"}; !reflect.DeepEqual(got, want) {
		t.Errorf("USER groups: got %q, want %q", got, want)
	}
	if got, want := iamList(t, table, bad, "attached_policy_arns"), []string{"arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM"}; !reflect.DeepEqual(got, want) {
		t.Errorf("USER_WITH_BAD_INLINE_POLICY attached_policy_arns: got %q, want %q", got, want)
	}

	// The demo holds no MFA, login profile or ListUsers files: unknown.
	for _, column := range []string{"mfa_enabled", "mfa_devices", "login_profile", "password_last_used"} {
		if got := iamColumn(t, table, user, column); got != nil {
			t.Errorf("USER %s: got %v, want NULL (not collected)", column, got)
		}
	}
	if got := user["raw"].(iamUserRaw).User; got == nil {
		t.Errorf("USER raw: got no GetUser result, want the demo's iam-get-user/USER")
	}
}

func TestIAMUserFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_user")["111122223333"]
	const table = "aws_iam_user"
	recs := collect(t, table, c)
	byName := iamByKey(t, recs, "user_name")
	// dee is in the authorization details, but ListMFADevices finds no such
	// user any more: deleted during the sync, so no row.
	if len(recs) != 3 || byName["dee"] != nil {
		t.Fatalf("got users %v, want ana, ben and cy", reflect.ValueOf(byName).MapKeys())
	}
	ana, ben, cy := byName["ana"], byName["ben"], byName["cy"]

	checks := []struct {
		user   string
		rec    map[string]any
		column string
		want   any
	}{
		{"ana", ana, "permissions_boundary", "arn:aws:iam::111122223333:policy/boundary"},
		{"ana", ana, "mfa_enabled", true},
		{"ana", ana, "login_profile", true},
		{"ana", ana, "password_reset_required", false},
		{"ben", ben, "mfa_enabled", false},
		{"ben", ben, "login_profile", false}, // NoSuchEntity
		{"ben", ben, "password_last_used", nil},
		{"cy", cy, "mfa_enabled", nil},   // ListMFADevices not collected
		{"cy", cy, "login_profile", nil}, // AccessDenied
		{"cy", cy, "permissions_boundary", nil},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.user, tc.column, got, tc.want)
		}
	}
	if got, want := iamColumn(t, table, ana, "password_last_used"), time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC); got != want {
		t.Errorf("ana password_last_used: got %v, want %v (from ListUsers)", got, want)
	}
	inline := iamJSON(t, table, ana, "inline_policies")
	want := map[string]any{"list-buckets": map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}}}}
	if !reflect.DeepEqual(inline, want) {
		t.Errorf("ana inline_policies: got %v, want %v (URL-decoded)", inline, want)
	}
	devices := iamJSON(t, table, ana, "mfa_devices")
	wantDevices := []any{map[string]any{"serial_number": "arn:aws:iam::111122223333:mfa/ana-phone", "enable_date": "2021-01-03T00:00:00Z"}}
	if !reflect.DeepEqual(devices, wantDevices) {
		t.Errorf("ana mfa_devices: got %v, want %v", devices, wantDevices)
	}
	if got := iamList(t, table, cy, "groups"); !reflect.DeepEqual(got, []string{}) {
		t.Errorf("cy groups: got %q, want [] for a user without GroupList", got)
	}
	if got, want := ana["tags"], map[string]string{"owner": "platform"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ana tags: got %v, want %v", got, want)
	}
}
