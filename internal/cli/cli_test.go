package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// stance runs the command line in-process and returns its exit status and
// outputs.
func stance(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// demoTemplate is a demo database built once per test binary, because the
// demo (two clouds, three benchmark runs) takes most of a test's time.
var demoTemplate struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
	os.Exit(code)
}

// demoDatabase returns a new copy of the demo database, so that each test
// may change its own.
func demoDatabase(t *testing.T) string {
	t.Helper()
	demoTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "stance-cli-demo-")
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.dir = dir
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"demo", "--db", filepath.Join(dir, "demo.duckdb")}, strings.NewReader(""), &out, &errOut); code != ExitOK {
			demoTemplate.err = fmt.Errorf("demo: exit %d\n%s\n%s", code, out.String(), errOut.String())
		}
	})
	if demoTemplate.err != nil {
		t.Fatal(demoTemplate.err)
	}
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	for _, suffix := range []string{"", ".wal"} {
		data, err := os.ReadFile(filepath.Join(demoTemplate.dir, "demo.duckdb") + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(db+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestDemoWritesPrivateDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.duckdb")
	code, out, errOut := stance(t, "", "demo", "--db", db)
	if code != ExitOK {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
	}
	info, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("database mode %o, want 600", mode)
	}
}

func TestQueryFormats(t *testing.T) {
	db := demoDatabase(t)
	sql := "SELECT name, policy_status_is_public FROM aws_s3_bucket WHERE name = 'acme-payments-test-exports'"
	tests := []struct {
		format string
		want   string
	}{
		{"table", "acme-payments-test-exports │ true"},
		{"csv", "name,policy_status_is_public\nacme-payments-test-exports,true\n"},
		{"jsonl", `{"name": "acme-payments-test-exports", "policy_status_is_public": true}` + "\n"},
		{"markdown", "| acme-payments-test-exports | true |"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			code, out, errOut := stance(t, "", "query", "--db", db, "--format", tt.format, sql)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output:\n%s\nwant it to contain:\n%s", out, tt.want)
			}
		})
	}
}

func TestQueryJSONKeepsDocuments(t *testing.T) {
	db := demoDatabase(t)
	code, out, errOut := stance(t, "", "query", "--db", db, "--format", "json",
		"SELECT policy FROM aws_s3_bucket WHERE name = 'acme-payments-test-exports'")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	if _, ok := rows[0]["policy"].(map[string]any); !ok {
		t.Errorf("policy is %T, want a JSON object", rows[0]["policy"])
	}
}

func TestQueryFromStdin(t *testing.T) {
	db := demoDatabase(t)
	code, out, errOut := stance(t, "SELECT count(*) AS n FROM aws_iam_user", "query", "--db", db, "--format", "csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "n\n") {
		t.Errorf("got %q, want a csv with column n", out)
	}
}

func TestQueryErrors(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad sql", []string{"query", "--db", db, "SELEC 1"}, "syntax error"},
		{"unknown table", []string{"query", "--db", db, "SELECT * FROM aws_no_such_table"}, "aws_no_such_table"},
		{"bad time", []string{"query", "--db", db, "--at", "yesterday", "SELECT 1"}, `invalid time "yesterday"`},
		{"bad format", []string{"query", "--db", db, "--format", "xml", "SELECT 1"}, `invalid --format "xml": use one of table, line, csv, json, jsonl, markdown, parquet, arrow`},
		{"unknown named query", []string{"query", "--db", db, "--named", "nope"}, `no named query "nope"`},
		{"bad log level", []string{"--log-level", "loud", "tables"}, `invalid --log-level "loud"`},
		{"bad table pattern", []string{"sync", "aws", "--db", db, "--from-dir", ".", "--tables", "aws_nothing_*"}, "matches no aws table"},
		{"missing folder", []string{"sync", "aws", "--db", db, "--from-dir", filepath.Join(t.TempDir(), "none")}, "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := stance(t, "", tt.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.want)
			}
		})
	}
}

func TestQueryAtBeforeFirstSync(t *testing.T) {
	db := demoDatabase(t)
	code, out, errOut := stance(t, "", "query", "--db", db, "--at", "2000-01-01", "--format", "csv", "SELECT count(*) AS n FROM aws_s3_bucket")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "n\n0\n" {
		t.Errorf("buckets in 2000: got %q, want 0", out)
	}
}

func TestSyncFromDirExitStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	fsys := "../../internal/demo/world"
	// The demo world has a region that returns AccessDenied, so the sync
	// is partial and its exit status reports it.
	code, out, _ := stance(t, "", "sync", "aws", "--db", db, "--from-dir", fsys, "--log-level", "error")
	if code != ExitPartial {
		t.Errorf("exit %d, want %d\n%s", code, ExitPartial, out)
	}
	if !strings.Contains(out, "AccessDenied") {
		t.Errorf("summary does not list the AccessDenied region:\n%s", out)
	}
	code, out, _ = stance(t, "", "sync", "aws", "--db", db, "--from-dir", fsys, "--regions", "us-east-1", "--log-level", "error")
	if code != ExitOK {
		t.Errorf("sync of us-east-1 only: exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "0 new versions") {
		t.Errorf("unchanged re-sync: summary does not say 0 new versions:\n%s", out)
	}
}

func TestTablesListsDescriptions(t *testing.T) {
	code, out, errOut := stance(t, "", "tables", "aws_s3_bucket", "--columns", "--format", "csv")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"aws_s3_bucket,account_id,VARCHAR,", "aws_s3_bucket,tags,", "aws_s3_bucket,raw,JSON,"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q", want)
		}
	}
}

func TestCheckFailOnAndFindings(t *testing.T) {
	db := demoDatabase(t)
	control := "aws_ec2_instance_imdsv2_required"
	code, out, errOut := stance(t, "", "check", "--db", db, control, "--fail-on", "high")
	if code != ExitFindings {
		t.Fatalf("check --fail-on high: exit %d, want %d\n%s\n%s", code, ExitFindings, out, errOut)
	}
	if !strings.Contains(out, "modify-instance-metadata-options") {
		t.Errorf("report does not show the remediation command:\n%s", out)
	}
	code, _, errOut = stance(t, "", "check", "--db", db, control, "--fail-on", "critical")
	if code != ExitOK {
		t.Errorf("check --fail-on critical: exit %d, want 0: %s", code, errOut)
	}

	code, out, errOut = stance(t, "", "findings", "--db", db, "--format", "csv")
	if code != ExitOK {
		t.Fatalf("findings: exit %d: %s", code, errOut)
	}
	if got := strings.Count(out, control); got != 2 {
		t.Errorf("open findings of %s: got %d, want 2\n%s", control, got, out)
	}

	code, out, errOut = stance(t, "", "suppress", "add", "--db", db, "--control", control,
		"--resource", "*i-0a1b2c3d4e5f60718", "--reason", "legacy", "--author", "alice", "--expires", "30d")
	if code != ExitOK {
		t.Fatalf("suppress add: exit %d: %s", code, errOut)
	}
	code, _, _ = stance(t, "", "check", "--db", db, control, "--fail-on", "high", "--account", "210987654321")
	if code != ExitOK {
		t.Errorf("check after suppressing the only failure of the account: exit %d, want 0", code)
	}
	code, out, _ = stance(t, "", "findings", "--db", db, "--status", "suppressed", "--format", "csv")
	if code != ExitOK || strings.Count(out, control) != 1 {
		t.Errorf("suppressed findings: exit %d, output:\n%s", code, out)
	}
	code, _, errOut = stance(t, "", "suppress", "remove", "--db", db, "99")
	if code != ExitError || !strings.Contains(errOut, `no suppression "99"`) {
		t.Errorf("remove unknown suppression: exit %d, stderr %q", code, errOut)
	}
}

func TestCheckErrors(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", "--db", db, "no_such_thing"}, `no benchmark or control named "no_such_thing"`},
		{[]string{"check", "--db", db, "--fail-on", "severe", "aws_ec2_instance_imdsv2_required"}, `invalid --fail-on "severe"`},
		{[]string{"check", "--db", db, "--format", "pdf", "aws_ec2_instance_imdsv2_required"}, `invalid --format "pdf"`},
		{[]string{"check", "--db", db, "--pack-dir", "/nonexistent/packs"}, "pack folder"},
		{[]string{"suppress", "add", "--db", db, "--control", "aws_s3_bucket_public_access_blocked", "--reason", "r", "--author", "a", "--expires", "2001-01-01"}, "not in the future"},
	}
	for _, tt := range tests {
		code, _, errOut := stance(t, "", tt.args...)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want 1 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestQueryNeverCreatesOrWrites(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.duckdb")
	code, _, errOut := stance(t, "", "query", "--db", missing, "SELECT 1")
	if code != ExitError || !strings.Contains(errOut, "no database at") {
		t.Errorf("query on a missing file: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("query created %s", missing)
	}
	db := demoDatabase(t)
	code, _, errOut = stance(t, "", "query", "--db", db, "DELETE FROM history.aws_s3_bucket")
	if code != ExitError || !strings.Contains(strings.ToLower(errOut), "read-only") {
		t.Errorf("query that writes: exit %d, stderr %q, want a read-only error", code, errOut)
	}
}

func TestQueryStanceChanges(t *testing.T) {
	db := demoDatabase(t)
	code, out, errOut := stance(t, "", "query", "--db", db, "--format", "csv",
		"SELECT count(*) > 0 AS any FROM stance_changes(TIMESTAMPTZ '2000-01-01 00:00:00Z', now()) WHERE change = 'added'")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "any\ntrue\n" {
		t.Errorf("got %q, want every demo resource added since 2000", out)
	}
}

func TestCheckFailOnBrokenControl(t *testing.T) {
	db := demoDatabase(t)
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "controls", "aws"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "controls", "aws", "acme_broken.yaml"),
		[]byte("id: acme_broken\ntitle: Broken\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_ec2_instance]\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "controls", "aws", "acme_broken.sql"), []byte("SELECT * FORM aws_ec2_instance"), 0o644))
	code, _, errOut := stance(t, "", "check", "--db", db, "--pack-dir", dir, "acme_broken", "--fail-on", "critical")
	if code != ExitFindings || !strings.Contains(errOut, "acme_broken") {
		t.Errorf("exit %d, stderr %q: want %d naming the broken control", code, errOut, ExitFindings)
	}
}
