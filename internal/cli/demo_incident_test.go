package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoEndsWithIncident runs the demo and checks that its last part
// shows the bucket made public, field by field, and the new finding linked
// to that change.
func TestDemoEndsWithIncident(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	code, out, errOut := stance(t, "", "demo", "--db", db)
	if code != ExitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
	_, incident, ok := strings.Cut(out, "\nThe incident, ")
	if !ok {
		t.Fatalf("demo output has no incident part:\n%s", out)
	}
	for _, want := range []string{
		"0 added, 0 removed, 1 changed",
		"~ arn:aws:s3:::acme-prod-app-assets (eu-west-1)",
		`policy.Statement[1]: (none) -> {"Action":"s3:GetObject","Effect":"Allow","Principal":"*"`,
		"block_public_policy: true -> false",
		"policy_status_is_public: false -> true",
		"1 appeared, 0 resolved, 0 reopened",
		"appeared high     3.1.4 aws_s3_bucket_public_access_blocked on arn:aws:s3:::acme-prod-app-assets",
	} {
		if !strings.Contains(incident, want) {
			t.Errorf("incident part lacks %q:\n%s", want, incident)
		}
	}
	if !strings.Contains(incident, "failed since its ") || !strings.Contains(incident, " policy, ") {
		t.Errorf("the new finding is not linked to the policy change:\n%s", incident)
	}
	if next := strings.Index(incident, "Next, try:"); next < 0 || next < strings.Index(incident, "Findings drift") {
		t.Errorf("the suggested commands do not follow the incident:\n%s", incident)
	}
}

// TestDemoIncidentVisibleAfterwards checks that the drift commands that
// the demo suggests show the incident with their defaults.
func TestDemoIncidentVisibleAfterwards(t *testing.T) {
	db := demoDatabase(t)

	code, out, errOut := stance(t, "", "drift", "--db", db, "--format", "json")
	if code != ExitOK {
		t.Fatalf("drift: exit %d: %s", code, errOut)
	}
	var report struct {
		From, To time.Time
		Changes  []struct {
			ResourceID string `json:"resource_id"`
			Change     string `json:"change"`
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("drift output is not JSON: %v\n%s", err, out)
	}
	if got := report.To.Sub(report.From); got != time.Hour {
		t.Errorf("drift compares syncs %s apart, want 1h", got)
	}
	if len(report.Changes) != 1 || report.Changes[0].ResourceID != "arn:aws:s3:::acme-prod-app-assets" || report.Changes[0].Change != "changed" {
		t.Errorf("got changes %+v, want only acme-prod-app-assets changed", report.Changes)
	}

	code, out, errOut = stance(t, "", "drift", "--db", db, "--findings")
	if code != ExitOK {
		t.Fatalf("drift --findings: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "1 appeared, 0 resolved, 0 reopened") {
		t.Errorf("drift --findings: got\n%s\nwant the one new finding", out)
	}

	code, out, errOut = stance(t, "", "drift", "--db", db, "--findings", "--format", "csv")
	if code != ExitOK {
		t.Fatalf("drift --findings --format csv: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("drift --findings --format csv: got %d lines, want a header and one row:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[1], "appeared,high,3.1.4,aws_s3_bucket_public_access_blocked,arn:aws:s3:::acme-prod-app-assets,") {
		t.Errorf("drift --findings --format csv: got row %q, want the bucket's new finding", lines[1])
	}
	if !strings.Contains(lines[1], ",aws_s3_bucket,changed,") {
		t.Errorf("drift --findings --format csv: got row %q, want the bucket change as its cause", lines[1])
	}
}
