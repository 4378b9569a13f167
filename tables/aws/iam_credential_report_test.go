package aws

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stance-cspm/stance/tables"
)

// iamFastReportWait shortens the wait between GenerateCredentialReport
// calls for the duration of the test.
func iamFastReportWait(t *testing.T, attempts int) {
	t.Helper()
	old := iamReportWait
	iamReportWait.interval = 10 * time.Millisecond
	iamReportWait.attempts = attempts
	t.Cleanup(func() { iamReportWait = old })
}

func TestIAMCredentialReportMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000106")
	ctx := context.Background()
	// moto returns STARTED on the first call and COMPLETE on the next, so
	// the fetch must poll.
	iamFastReportWait(t, 5)

	iamCreateUser(t, c, "console")
	_, err := c.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("console"), Password: aws.String("Correct-Horse-1")})
	iamMust(t, "create login profile", err)
	iamCreateUser(t, c, "robot")
	_, err = c.IAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("robot")})
	iamMust(t, "create access key", err)

	const table = "aws_iam_credential_report"
	recs := collect(t, table, c)
	// NOTE: moto 5.2.1 writes no <root_account> line; the offline tests
	// cover it.
	if len(recs) != 2 {
		t.Fatalf("got %d report lines, want 2", len(recs))
	}
	byUser := iamByKey(t, recs, "user")
	console, robot := byUser["console"], byUser["robot"]
	if console == nil || robot == nil {
		t.Fatalf("got report users %v, want console and robot", byUser)
	}
	checks := []struct {
		user   string
		rec    map[string]any
		column string
		want   any
	}{
		{"console", console, "user_arn", "arn:aws:iam::100000000106:user/console"},
		{"console", console, "password_enabled", true},
		{"console", console, "password_last_used", nil}, // no_information
		{"console", console, "access_key_1_active", false},
		{"console", console, "access_key_1_last_rotated", nil}, // N/A
		{"console", console, "mfa_active", false},
		{"robot", robot, "password_enabled", false},
		{"robot", robot, "password_last_used", nil}, // not_supported
		{"robot", robot, "access_key_1_active", true},
		{"robot", robot, "access_key_1_last_used_date", nil},
		{"robot", robot, "access_key_2_active", false},
		{"robot", robot, "cert_1_active", false},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.user, tc.column, got, tc.want)
		}
	}
	if iamColumn(t, table, robot, "access_key_1_last_rotated") == nil {
		t.Errorf("robot access_key_1_last_rotated: got NULL, want the key's creation time")
	}
	if iamColumn(t, table, robot, "user_creation_time") == nil {
		t.Errorf("robot user_creation_time: got NULL, want the user's creation time")
	}
	raw, _ := robot["raw"].(map[string]string)
	if raw["password_last_used"] != "not_supported" {
		t.Errorf("robot raw password_last_used: got %q, want the report's own value not_supported", raw["password_last_used"])
	}
}

func TestIAMCredentialReportWaitBounded(t *testing.T) {
	c := iamMotoClients(t, "100000000107")
	// One attempt: moto's first state is STARTED, so the wait times out.
	iamFastReportWait(t, 1)
	err := fetchIAMCredentialReport(context.Background(), c, func(tables.Record) error { return nil })
	if err == nil {
		t.Fatal("got no error, want a timeout while the report is STARTED")
	}
	const want = "generate credential report: state still STARTED after 1 attempts 10ms apart"
	if err.Error() != want {
		t.Errorf("got error %q, want %q", err, want)
	}
}

func TestIAMCredentialReportCancel(t *testing.T) {
	c := iamMotoClients(t, "100000000108")
	old := iamReportWait
	iamReportWait.interval = time.Hour
	t.Cleanup(func() { iamReportWait = old })

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := fetchIAMCredentialReport(ctx, c, func(tables.Record) error { return nil })
	if err == nil {
		t.Fatal("got no error, want the context's deadline")
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("fetch returned after %s, want soon after the 200ms deadline", elapsed)
	}
}

func TestIAMCredentialReportDemo(t *testing.T) {
	c := iamDemoClients(t)
	const table = "aws_iam_credential_report"
	recs := collect(t, table, c)
	if len(recs) != 3 {
		t.Fatalf("got %d report lines, want the 3 of the report", len(recs))
	}
	byARN := iamByKey(t, recs, "user_arn")
	root, user := byARN["arn:aws:iam::123456789012:root"], byARN["arn:aws:iam::123456789012:user/user"]
	if root == nil || user == nil || byARN["arn:aws:iam::123456789012:user/auditor_tmp"] == nil {
		t.Fatalf("got lines %v, want the root user, auditor_tmp and user", reflect.ValueOf(byARN).MapKeys())
	}
	checks := []struct {
		line   string
		rec    map[string]any
		column string
		want   any
	}{
		{"root", root, "user", "<root_account>"},
		{"root", root, "password_enabled", nil}, // not_supported
		{"root", root, "password_last_used", time.Date(2019, 3, 3, 16, 58, 16, 0, time.UTC)},
		{"root", root, "mfa_active", true},
		{"root", root, "access_key_1_active", true},
		{"root", root, "access_key_1_last_used_date", time.Date(2018, 11, 27, 0, 2, 0, 0, time.UTC)},
		{"root", root, "access_key_1_last_used_region", "us-east-1"},
		{"root", root, "access_key_1_last_used_service", "ecr"},
		{"root", root, "access_key_2_last_used_service", nil}, // N/A
		{"user", user, "password_enabled", true},
		{"user", user, "access_key_2_active", true},
		{"user", user, "access_key_2_last_used_service", "s3"},
		{"user", user, "cert_2_active", false},
		{"user", user, "generated_time", time.Date(2019, 5, 7, 15, 40, 22, 0, time.UTC)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.line, tc.column, got, tc.want)
		}
	}
}

func TestIAMCredentialReportFixture(t *testing.T) {
	accounts := iamFixtureClients(t, "aws_iam_credential_report")
	const table = "aws_iam_credential_report"

	// Base64 content, as the AWS CLI prints it, with a field this table
	// does not know.
	recs := collect(t, table, accounts["111122223333"])
	if len(recs) != 2 {
		t.Fatalf("got %d report lines, want 2", len(recs))
	}
	byUser := iamByKey(t, recs, "user")
	erin := byUser["erin"]
	if erin == nil {
		t.Fatalf("got users %v, want erin", reflect.ValueOf(byUser).MapKeys())
	}
	checks := []struct {
		column string
		want   any
	}{
		{"password_last_used", nil}, // no_information
		{"password_next_rotation", time.Date(2020, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"access_key_1_last_used_service", "sts"},
		{"access_key_2_last_used_date", nil},
		{"cert_1_active", true},
		{"cert_1_last_rotated", time.Date(2020, 3, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, erin, tc.column); got != tc.want {
			t.Errorf("erin %s: got %v, want %v", tc.column, got, tc.want)
		}
	}
	if raw := erin["raw"].(map[string]string); raw["future_field"] != "y" {
		t.Errorf("erin raw: got %v, want every field of the line, future_field=y included", raw)
	}

	// Generation denied, but a report generated earlier is readable; its
	// missing fields are NULL.
	recs = collect(t, table, accounts["444455556666"])
	if len(recs) != 1 {
		t.Fatalf("with generation denied: got %d lines, want 1", len(recs))
	}
	if got := iamColumn(t, table, recs[0], "mfa_active"); got != true {
		t.Errorf("with generation denied: mfa_active: got %v, want true", got)
	}
	if got := iamColumn(t, table, recs[0], "password_enabled"); got != nil {
		t.Errorf("with generation denied: password_enabled: got %v, want NULL (not in the header)", got)
	}

	// Generation denied and no report: the denial is the error.
	if err := iamFetchError(t, table, accounts["777788889999"]); ErrorCode(err) != "AccessDenied" {
		t.Errorf("with no report: got error %v, want AccessDenied from GenerateCredentialReport", err)
	}

	// An invalid timestamp fails the partition and names the line.
	err := iamFetchError(t, table, accounts["222233334444"])
	if want := `credential report line of arn:aws:iam::222233334444:user/frank: field user_creation_time: invalid timestamp "yesterday": want RFC 3339`; err.Error() != want {
		t.Errorf("with an invalid timestamp: got error %q, want %q", err, want)
	}
}

func TestIAMParseCredentialReport(t *testing.T) {
	cases := []struct {
		name    string
		content string
		want    []map[string]string
		wantErr bool
	}{
		{"header only", "user,arn\n", []map[string]string{}, false},
		{"quoted comma", "user,arn\n\"a,b\",arn:x\n", []map[string]string{{"user": "a,b", "arn": "arn:x"}}, false},
		{"empty", "", nil, true},
		{"short line", "user,arn\nonly-one\n", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := iamParseCredentialReport([]byte(tc.content))
			if (err != nil) != tc.wantErr {
				t.Fatalf("got error %v, want error: %v", err, tc.wantErr)
			}
			if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
