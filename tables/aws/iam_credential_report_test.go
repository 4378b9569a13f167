package aws

import (
	"context"
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
