package drift

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// findingsSample returns a findings report with the hard cases of the
// flat formats: a finding with two causes, one without a cause, a removed
// resource (no change time) and a resolved finding. Its values hold a
// comma, a quote, a pipe and an escape sequence.
func findingsSample() FindingsReport {
	changedAt := secondSync
	return FindingsReport{
		From: CheckRun{ID: 7, Benchmark: "cis_aws", Version: "6.0.0", EvaluatedAt: firstSync.Add(time.Minute)},
		To:   CheckRun{ID: 9, Benchmark: "cis_aws", Version: "6.0.0", EvaluatedAt: secondSync.Add(time.Minute)},
		Changes: []FindingChange{
			{
				Kind: Appeared, ControlID: "aws_s3_bucket_public_access_blocked", Requirements: []string{"3.1.4"},
				Resource: "arn:aws:s3:::acme-prod-app-assets", AccountID: "210987654321", Region: "eu-west-1", Severity: "high",
				Reason: `bucket acme-prod-app-assets has BlockPublicAcls, IgnorePublicAcls off, "public" | open`,
				Causes: []Cause{
					{Table: "aws_s3_bucket", Kind: Changed, At: &changedAt, Columns: []string{"block_public_acls", "policy"}},
					{Table: "aws_s3_account_public_access_block", Kind: Removed, Columns: []string{"block_public_acls"}},
				},
			},
			{
				Kind: Reopened, ControlID: "aws_iam_access_key_rotated_90_days", Requirements: []string{"2.13", "2.14"},
				Resource: "AKIADEMO0PRODDEPLOY1", AccountID: "210987654321", Region: "global", Severity: "medium",
				Reason: "access key AKIADEMO0PRODDEPLOY1 is 91 days old",
			},
			{
				Kind: Resolved, ControlID: "aws_vpc_security_group_admin_ports_restricted_ipv4",
				Resource: "sg-0a11c0ffee0000001\x1b[2J", AccountID: "210987654321", Region: "us-east-1", Severity: "high",
				Reason: "security group opens SSH to 0.0.0.0/0",
				Causes: []Cause{{Table: "aws_vpc_security_group", Kind: Added, At: &changedAt, Columns: []string{"ip_permissions"}}},
			},
		},
	}
}

// TestWriteFindingsGolden prints the sample report in every format and
// compares each output with its golden file.
func TestWriteFindingsGolden(t *testing.T) {
	report := findingsSample()
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := WriteFindings(&buf, format, report); err != nil {
			t.Fatalf("write %s: %v", format, err)
		}
		golden := filepath.Join("testdata", "findings."+format)
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatalf("update %s: %v", golden, err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("read %s (run with -update to create it): %v", golden, err)
		}
		if got := buf.String(); got != string(want) {
			t.Errorf("%s output differs from %s (run with -update after checking it):\ngot:\n%s", format, golden, got)
		}
	}
}

// TestWriteFindingsRowPerCause reads the csv and jsonl outputs back and
// checks the rows: one per cause, one for a finding without a cause.
func TestWriteFindingsRowPerCause(t *testing.T) {
	report := findingsSample()

	var buf bytes.Buffer
	if err := WriteFindings(&buf, "csv", report); err != nil {
		t.Fatalf("write csv: %v", err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("read csv back: %v", err)
	}
	if len(records) != 1+4 {
		t.Fatalf("got %d csv records, want a header and 4 rows", len(records))
	}
	column := map[string]int{}
	for i, name := range records[0] {
		column[name] = i
	}
	first := records[1]
	if got := first[column["reason"]]; got != report.Changes[0].Reason {
		t.Errorf("reason: got %q, want it unchanged %q", got, report.Changes[0].Reason)
	}
	if got := first[column["cause_changed_at"]]; got != "2026-03-01T14:02:00Z" {
		t.Errorf("cause_changed_at: got %q, want 2026-03-01T14:02:00Z", got)
	}
	if got := first[column["cause_columns"]]; got != "block_public_acls, policy" {
		t.Errorf("cause_columns: got %q, want both columns", got)
	}
	if got := records[2][column["cause_change"]]; got != Removed {
		t.Errorf("second cause: got change %q, want %q", got, Removed)
	}
	if got := records[2][column["cause_changed_at"]]; got != "" {
		t.Errorf("removed cause: got changed_at %q, want empty", got)
	}
	if got := records[3][column["cause_table"]]; got != "" {
		t.Errorf("finding without cause: got cause_table %q, want empty", got)
	}
	if got := records[3][column["requirements"]]; got != "2.13, 2.14" {
		t.Errorf("requirements: got %q, want 2.13, 2.14", got)
	}
	if got := records[4][column["to_run_id"]]; got != "9" {
		t.Errorf("to_run_id: got %q, want 9", got)
	}

	buf.Reset()
	if err := WriteFindings(&buf, "jsonl", report); err != nil {
		t.Fatalf("write jsonl: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d jsonl lines, want 4", len(lines))
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[2]), &row); err != nil {
		t.Fatalf("jsonl line is not JSON: %v\n%s", err, lines[2])
	}
	if row["cause"] != nil {
		t.Errorf("finding without cause: got cause %v, want null", row["cause"])
	}
	if row["change"] != Reopened {
		t.Errorf("third row: got change %v, want %s", row["change"], Reopened)
	}
}

// TestWriteFindingsEscapes checks that no output of a terminal format
// carries the escape character of a resource name.
func TestWriteFindingsEscapes(t *testing.T) {
	for _, format := range []string{"table", "markdown"} {
		var buf bytes.Buffer
		if err := WriteFindings(&buf, format, findingsSample()); err != nil {
			t.Fatalf("write %s: %v", format, err)
		}
		if strings.ContainsRune(buf.String(), '\x1b') {
			t.Errorf("%s: output carries an escape character:\n%q", format, buf.String())
		}
	}
}

// TestWriteFindingsInvalidFormat checks that the error names the format
// and the valid ones.
func TestWriteFindingsInvalidFormat(t *testing.T) {
	err := WriteFindings(&bytes.Buffer{}, "xml", findingsSample())
	if err == nil {
		t.Fatal("got no error for format xml")
	}
	for _, want := range []string{`"xml"`, "csv", "markdown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

// TestWriteFindingsReportsPerBenchmark prints the reports of two
// benchmarks and expects each to be named in every format.
func TestWriteFindingsReportsPerBenchmark(t *testing.T) {
	aws := findingsSample()
	gcp := FindingsReport{
		From: CheckRun{ID: 4, Benchmark: "cis_gcp", Version: "4.0.0", EvaluatedAt: firstSync},
		To:   CheckRun{ID: 10, Benchmark: "cis_gcp", Version: "4.0.0", EvaluatedAt: secondSync},
		Changes: []FindingChange{{Kind: Appeared, ControlID: "gcp_storage_bucket_not_public",
			Resource: "acme-logs", Severity: "high", Reason: "bucket acme-logs is public"}},
	}
	reports := []FindingsReport{aws, gcp}

	var table bytes.Buffer
	if err := WriteFindingsReports(&table, "table", reports); err != nil {
		t.Fatalf("write table: %v", err)
	}
	for _, want := range []string{
		"Findings drift of cis_aws 6.0.0 from check run 7 ",
		"Findings drift of cis_gcp 4.0.0 from check run 4 ",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("got view\n%s\nwant it to contain %q", table.String(), want)
		}
	}

	var flat bytes.Buffer
	if err := WriteFindingsReports(&flat, "csv", reports); err != nil {
		t.Fatalf("write csv: %v", err)
	}
	records, err := csv.NewReader(&flat).ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v", err)
	}
	column := map[string]int{}
	for i, name := range records[0] {
		column[name] = i
	}
	last := records[len(records)-1]
	if got := last[column["benchmark"]] + " " + last[column["version"]]; got != "cis_gcp 4.0.0" {
		t.Errorf("last row benchmark: got %q, want cis_gcp 4.0.0", got)
	}
	if got := records[1][column["benchmark"]]; got != "cis_aws" {
		t.Errorf("first row benchmark: got %q, want cis_aws", got)
	}

	var doc bytes.Buffer
	if err := WriteFindingsReports(&doc, "json", reports); err != nil {
		t.Fatalf("write json: %v", err)
	}
	var decoded []FindingsReport
	if err := json.Unmarshal(doc.Bytes(), &decoded); err != nil {
		t.Fatalf("decode json array: %v\n%s", err, doc.String())
	}
	if len(decoded) != 2 || decoded[1].To.Benchmark != "cis_gcp" {
		t.Errorf("got %d reports in json, want 2 with cis_gcp second", len(decoded))
	}
}
