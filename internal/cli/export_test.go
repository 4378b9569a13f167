package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"

	"github.com/stance-cspm/stance/export"
)

func TestExportCommand(t *testing.T) {
	db := demoDatabase(t)
	out := filepath.Join(t.TempDir(), "lake")
	code, stdout, errOut := stance(t, "", "export", "--db", db, "--out", out, "--tables", "aws_s3_*,stance_finding")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "aws_s3_bucket") || !strings.Contains(stdout, "Manifest: "+filepath.Join(out, export.ManifestFile)) {
		t.Errorf("summary does not list the table and the manifest:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, export.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m export.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	names := map[string]int64{}
	for _, ts := range m.Tables {
		names[ts.Name] = ts.Rows
	}
	if names["aws_s3_bucket"] == 0 || names["stance_finding"] == 0 {
		t.Errorf("manifest rows %v, want aws_s3_bucket and stance_finding rows", names)
	}
	if _, ok := names["aws_ec2_instance"]; ok {
		t.Error("--tables did not limit the export: aws_ec2_instance exported")
	}

	// A BI-style query over the export reads the partitions as columns.
	code, stdout, errOut = stance(t, "", "query", "--db", db, "--format", "csv",
		"SELECT provider, count(*) AS buckets FROM read_parquet('"+out+"/aws_s3_bucket/**/*.parquet', hive_partitioning = true) GROUP BY ALL")
	if code != ExitOK {
		t.Fatalf("query the export: exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "aws,") {
		t.Errorf("query of the export returned:\n%s", stdout)
	}
}

func TestExportCommandErrors(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--db", db}, "missing --out"},
		{[]string{"export", "--db", db, "--out", t.TempDir(), "--at", "yesterday-ish"}, "--at"},
		{[]string{"export", "--db", db, "--out", t.TempDir(), "--since-last", "--at", "1d"}, "drop --at"},
		{[]string{"export", "--db", filepath.Join(t.TempDir(), "none.duckdb"), "--out", t.TempDir()}, "no database"},
	}
	for _, tt := range tests {
		code, _, errOut := stance(t, "", tt.args...)
		if code != ExitError || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want exit %d and %q", tt.args, code, errOut, ExitError, tt.want)
		}
	}
}

func TestExportAtBeforeFirstSync(t *testing.T) {
	db := demoDatabase(t)
	out := filepath.Join(t.TempDir(), "early")
	code, stdout, errOut := stance(t, "", "export", "--db", db, "--out", out, "--at", "2025-01-01")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "stance: warning: --at 2025-01-01T00:00:00Z is before the first sync") {
		t.Errorf("stderr %q, want a warning that --at is before the first sync", errOut)
	}
	if strings.Contains(stdout, "through sync run") {
		t.Errorf("summary claims a sync run the snapshot does not include:\n%s", stdout)
	}
	if !strings.Contains(stdout, "snapshot at 2025-01-01T00:00:00Z, before the first sync") {
		t.Errorf("summary does not say the snapshot is before the first sync:\n%s", stdout)
	}
}

func TestExportMissingDatabaseFirst(t *testing.T) {
	db := demoDatabase(t)
	out := filepath.Join(t.TempDir(), "hist")
	if code, _, errOut := stance(t, "", "export", "--db", db, "--out", out, "--history"); code != ExitOK {
		t.Fatalf("first export: exit %d: %s", code, errOut)
	}
	missing := filepath.Join(t.TempDir(), "stance.duckdb")
	t.Setenv("STANCE_DB", missing)
	code, _, errOut := stance(t, "", "export", "--out", out, "--history")
	if code != ExitError {
		t.Fatalf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(errOut, "no database at "+missing) {
		t.Errorf("stderr %q, want it to name the missing database", errOut)
	}
	if strings.Contains(errOut, "contains an export of the database") {
		t.Errorf("stderr %q blames the folder instead of the missing database", errOut)
	}
}

func TestQueryParquetAndArrow(t *testing.T) {
	db := demoDatabase(t)
	dir := t.TempDir()
	sql := "SELECT name, creation_date, tags, policy FROM aws_s3_bucket ORDER BY name"

	code, _, errOut := stance(t, "", "query", "--db", db, "--format", "parquet", sql)
	if code != ExitError || !strings.Contains(errOut, "--format parquet needs --out") {
		t.Errorf("parquet without --out: exit %d, stderr %q", code, errOut)
	}

	file := filepath.Join(dir, "buckets.parquet")
	if code, _, errOut := stance(t, "", "query", "--db", db, "--format", "parquet", "--out", file, sql); code != ExitOK {
		t.Fatalf("parquet: exit %d: %s", code, errOut)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("parquet file mode %o, want 600", info.Mode().Perm())
	}
	code, stdout, errOut := stance(t, "", "query", "--db", db, "--format", "csv",
		"SELECT count(*) FROM (SELECT name, creation_date, tags, policy::JSON AS policy FROM '"+file+"' EXCEPT ALL "+sql+")")
	if code != ExitOK || strings.TrimSpace(stdout) != "count_star()\n0" {
		t.Errorf("Parquet file differs from the query: exit %d, %q, %s", code, stdout, errOut)
	}

	code, stdout, errOut = stance(t, "", "query", "--db", db, "--format", "arrow", sql)
	if code != ExitOK {
		t.Fatalf("arrow: exit %d: %s", code, errOut)
	}
	r, err := ipc.NewReader(bytes.NewReader([]byte(stdout)))
	if err != nil {
		t.Fatalf("standard output is not an Arrow stream: %v", err)
	}
	defer r.Release()
	rows := int64(0)
	for r.Next() {
		rows += r.RecordBatch().NumRows()
	}
	if rows == 0 {
		t.Error("Arrow stream holds no rows")
	}
	if got := r.Schema().Field(1).Type.String(); got != "timestamp[us, tz=UTC]" {
		t.Errorf("creation_date is %s in Arrow, want timestamp[us, tz=UTC]", got)
	}

	csvFile := filepath.Join(dir, "buckets.csv")
	if code, _, errOut := stance(t, "", "query", "--db", db, "--format", "csv", "--out", csvFile, "SELECT 1 AS one"); code != ExitOK {
		t.Fatalf("csv --out: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(csvFile); string(b) != "one\n1\n" {
		t.Errorf("csv file holds %q", b)
	}
}
