package export

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// expectedQuery returns, independently of the planner, the rows that an
// exported table must hold: the source table with JSON as text and the
// partition columns added.
func expectedQuery(t *testing.T, db *sql.DB, m *Manifest, ts TableSummary) string {
	t.Helper()
	runs := func(col string, from, through int64) string {
		return fmt.Sprintf("%s > %d AND %s <= %d", col, from, col, through)
	}
	switch ts.Name {
	case "stance_sync_run", "stance_sync_partition":
		return fmt.Sprintf("SELECT * FROM %s WHERE %s", ts.Name, runs("run_id", ts.FromSyncRunID, ts.ThroughSyncRunID))
	case "stance_check_run", "stance_check_control":
		return fmt.Sprintf("SELECT * FROM %s WHERE %s", ts.Name, runs("run_id", ts.FromCheckRunID, ts.ThroughCheckRunID))
	case "stance_check_result":
		return "SELECT *, split_part(control_id, '_', 1) AS provider, CAST(evaluated_at AS DATE) AS evaluated_date FROM stance_check_result WHERE " +
			runs("run_id", ts.FromCheckRunID, ts.ThroughCheckRunID)
	case "stance_finding":
		return "SELECT *, split_part(control_id, '_', 1) AS provider FROM stance_finding"
	case "stance_control", "stance_control_mapping", "stance_suppression":
		return "SELECT * FROM " + ts.Name
	}
	rows, err := db.Query(`SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'history' AND table_name = ? ORDER BY ordinal_position`, ts.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			t.Fatal(err)
		}
		switch {
		case name == "_hash" || name == "_partition":
		case typ == "JSON":
			cols = append(cols, fmt.Sprintf("%s::VARCHAR AS %s", name, name))
		default:
			cols = append(cols, name)
		}
	}
	list := strings.Join(cols, ", ")
	provider := fmt.Sprintf("'%s' AS provider", strings.SplitN(ts.Name, "_", 2)[0])
	if m.Mode == ModeSnapshot {
		at := m.SnapshotAt.UTC().Format(time.RFC3339Nano)
		return fmt.Sprintf(`SELECT %s, %s, DATE '%s' AS snapshot_date FROM history.%s
			WHERE _valid_from <= TIMESTAMPTZ '%s' AND (_valid_to IS NULL OR _valid_to > TIMESTAMPTZ '%s')`,
			list, provider, m.SnapshotAt.UTC().Format(time.DateOnly), ts.Name, at, at)
	}
	return fmt.Sprintf("SELECT %s, %s, CAST(_valid_from AS DATE) AS sync_date FROM history.%s WHERE %s",
		list, provider, ts.Name, runs("_sync_run_id", ts.FromSyncRunID, ts.ThroughSyncRunID))
}

// checkReadBack compares every table of an export with its source, with
// DuckDB and with arrow-go.
func checkReadBack(t *testing.T, db *sql.DB, m *Manifest, skip func(TableSummary) bool) {
	t.Helper()
	for _, ts := range m.Tables {
		if ts.Name == closingTable || (skip != nil && skip(ts)) {
			continue
		}
		t.Run(ts.Name, func(t *testing.T) {
			expected := expectedQuery(t, db, m, ts)
			compareWithDuckDB(t, db, m.OutDir, ts, expected)
			compareWithArrow(t, db, m.OutDir, ts, expected)
		})
	}
}

func TestSnapshotReadsBack(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "lake")
	m := f.export(t, Options{Out: out})
	db := f.readOnly(t)
	checkReadBack(t, db, m, nil)

	for _, name := range []string{"aws_s3_bucket", "aws_ec2_instance", "synthetic_compute_instance", "stance_check_result", "stance_finding", "stance_sync_run"} {
		if ts := table(t, m, name); ts.Rows == 0 {
			t.Errorf("%s: exported 0 rows, want some", name)
		}
	}
	for _, ts := range m.Tables {
		for _, c := range ts.Columns {
			if c.Description == "" {
				t.Errorf("%s.%s has no description in the manifest", ts.Name, c.Name)
			}
		}
	}
	if len(m.SyncRuns) != 2 {
		t.Errorf("manifest lists %d sync runs, want the 2 the rows came from", len(m.SyncRuns))
	}
	if _, err := os.Stat(filepath.Join(out, ManifestFile)); err != nil {
		t.Errorf("manifest missing: %v", err)
	}
}

func TestSnapshotTypesSurvive(t *testing.T) {
	f := newFixture(t)
	m := f.export(t, Options{Out: filepath.Join(t.TempDir(), "lake"), Tables: []string{"aws_s3_bucket", "stance_check_result"}})
	db := f.readOnly(t)
	bucket := table(t, m, "aws_s3_bucket")
	read := fmt.Sprintf("SELECT * FROM read_parquet(%s, hive_partitioning = true)", filesList(m.OutDir, bucket.Files))
	names, types := describe(t, db, read)
	got := map[string]string{}
	for i, n := range names {
		got[n] = types[i]
	}
	want := map[string]string{
		"creation_date":           "TIMESTAMP WITH TIME ZONE",
		"policy_status_is_public": "BOOLEAN",
		"tags":                    "MAP(VARCHAR, VARCHAR)",
		"raw":                     "VARCHAR",
		"policy":                  "VARCHAR",
		"_sync_run_id":            "BIGINT",
		"provider":                "VARCHAR",
		"snapshot_date":           "DATE",
	}
	for col, typ := range want {
		if got[col] != typ {
			t.Errorf("aws_s3_bucket.%s reads back as %q, want %q", col, got[col], typ)
		}
	}
	for _, c := range bucket.Columns {
		stored := queryInt(t, db, fmt.Sprintf(`SELECT count(*) FROM information_schema.columns
			WHERE table_schema = 'history' AND table_name = 'aws_s3_bucket' AND column_name = '%s' AND data_type = 'JSON'`, c.Name))
		if c.JSON != (stored == 1) {
			t.Errorf("manifest marks aws_s3_bucket.%s JSON=%v, the store's type says %v", c.Name, c.JSON, stored == 1)
		}
	}
	var kv string
	err := db.QueryRow(fmt.Sprintf("SELECT decode(value) FROM parquet_kv_metadata(%s) WHERE decode(key) = 'stance_json_columns' LIMIT 1", filesList(m.OutDir, bucket.Files))).Scan(&kv)
	if err != nil {
		t.Fatalf("read Parquet key-value metadata: %v", err)
	}
	if !strings.Contains(kv, "raw") {
		t.Errorf("stance_json_columns = %q, want it to list raw", kv)
	}
	// A JSON document reads back as text that DuckDB parses again.
	n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM (%s) WHERE json_valid(raw) AND raw IS NOT NULL", read))
	if n != bucket.Rows {
		t.Errorf("%d of %d raw documents are valid JSON", n, bucket.Rows)
	}
	// Timestamps are stored adjusted to UTC.
	var logical string
	err = db.QueryRow(fmt.Sprintf("SELECT logical_type FROM parquet_schema(%s) WHERE name = 'creation_date' LIMIT 1", filesList(m.OutDir, bucket.Files))).Scan(&logical)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logical, "isAdjustedToUTC=1") {
		t.Errorf("creation_date logical type %q, want a timestamp adjusted to UTC", logical)
	}
}

func TestHistoryReadsBack(t *testing.T) {
	f := newFixture(t)
	f.sync(t, func(w *synthetic.World) {
		w.Change(0.1)
		w.Delete(0.05)
	})
	m := f.export(t, Options{Out: filepath.Join(t.TempDir(), "history"), History: true})
	db := f.readOnly(t)
	checkReadBack(t, db, m, nil)
	ts := table(t, m, "synthetic_compute_instance")
	if want := queryInt(t, db, "SELECT count(*) FROM history.synthetic_compute_instance"); ts.Rows != want {
		t.Errorf("history export wrote %d versions, want all %d", ts.Rows, want)
	}
	if closed := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM read_parquet(%s) WHERE _valid_to IS NOT NULL", filesList(m.OutDir, ts.Files))); closed == 0 {
		t.Error("no exported version carries a _valid_to, want the closed ones to")
	}
}

func TestAtExportsPastMoment(t *testing.T) {
	f := newFixture(t)
	past := f.clock.Add(time.Minute)
	f.sync(t, func(w *synthetic.World) { w.Change(0.2) })
	m := f.export(t, Options{Out: filepath.Join(t.TempDir(), "past"), At: past})
	if !m.SnapshotAt.Equal(past) {
		t.Errorf("snapshot_at %s, want %s", m.SnapshotAt, past)
	}
	if m.SnapshotSyncRunID != 2 {
		t.Errorf("snapshot_sync_run_id %d, want 2, the newest run before %s", m.SnapshotSyncRunID, past)
	}
	if len(m.Warnings) != 0 {
		t.Errorf("warnings %q for a moment after the first sync, want none", m.Warnings)
	}
	db := f.readOnly(t)
	checkReadBack(t, db, m, func(ts TableSummary) bool { return strings.HasPrefix(ts.Name, "stance_") })
	for _, ts := range m.Tables {
		if ts.Name == "stance_finding" {
			t.Error("a snapshot of a past moment exports stance_finding, which holds only the present")
		}
	}
	runs := table(t, m, "stance_sync_run")
	if runs.Rows != 2 {
		t.Errorf("exported %d sync runs, want the 2 before %s", runs.Rows, past)
	}
	ts := table(t, m, "synthetic_compute_instance")
	if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM read_parquet(%s) WHERE _sync_run_id > 2", filesList(m.OutDir, ts.Files))); n != 0 {
		t.Errorf("%d rows of the sync after --at were exported", n)
	}
}

func TestSnapshotSameDayReplacesPartition(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "lake")
	opts := Options{Out: out, Tables: []string{"synthetic_*"}}
	first := f.export(t, opts)
	f.sync(t, func(w *synthetic.World) { w.Delete(0.1) })
	second := f.export(t, opts)
	db := f.readOnly(t)
	ts := table(t, second, "synthetic_compute_instance")
	all := fmt.Sprintf("read_parquet('%s/synthetic_compute_instance/**/*.parquet', hive_partitioning = true)", out)
	if n := queryInt(t, db, "SELECT count(*) FROM "+all); n != ts.Rows {
		t.Errorf("folder holds %d rows after two exports of one day, want the second export's %d", n, ts.Rows)
	}
	if ts.Rows >= table(t, first, "synthetic_compute_instance").Rows {
		t.Errorf("second snapshot has %d rows, want fewer after deletions", ts.Rows)
	}
	checkReadBack(t, db, second, nil)
}

// TestSinceLastTwice exports with --since-last, syncs once, and exports
// again: the second export must hold exactly the versions of that sync and
// the closings of versions the first export wrote.
func TestSinceLastTwice(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "incremental")
	first := f.export(t, Options{Out: out, SinceLast: true})
	res := f.sync(t, func(w *synthetic.World) {
		w.Change(0.1)
		w.Delete(0.05)
		if err := w.Add(40); err != nil {
			t.Fatal(err)
		}
	})
	second := f.export(t, Options{Out: out, SinceLast: true})
	third := f.export(t, Options{Out: out, SinceLast: true})
	for _, ts := range third.Tables {
		if ts.Write == string(writeAppend) && ts.Rows != 0 {
			t.Errorf("%s: an export with no sync since the last wrote %d rows, want 0", ts.Name, ts.Rows)
		}
	}
	db := f.readOnly(t)

	var versions int64
	for _, name := range []string{"synthetic_compute_instance", "synthetic_storage_volume"} {
		a, b := table(t, first, name), table(t, second, name)
		if b.FromSyncRunID != a.ThroughSyncRunID {
			t.Errorf("%s: second export starts after run %d, want %d", name, b.FromSyncRunID, a.ThroughSyncRunID)
		}
		want := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM history.%s WHERE _sync_run_id = %d", name, res.RunID))
		if b.Rows != want {
			t.Errorf("%s: second export wrote %d versions, the sync added %d", name, b.Rows, want)
		}
		versions += b.Rows
		if len(b.Files) > 0 {
			n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM read_parquet(%s) WHERE _sync_run_id <> %d", filesList(out, b.Files), res.RunID))
			if n != 0 {
				t.Errorf("%s: second export holds %d versions of other runs", name, n)
			}
		}
		// Across both exports, every version appears exactly once.
		all := fmt.Sprintf("read_parquet('%s/%s/**/*.parquet', hive_partitioning = true)", out, name)
		total := queryInt(t, db, "SELECT count(*) FROM "+all)
		distinct := queryInt(t, db, "SELECT count(DISTINCT (_key, _valid_from)) FROM "+all)
		stored := queryInt(t, db, "SELECT count(*) FROM history."+name)
		if total != stored || distinct != stored {
			t.Errorf("%s: folder holds %d versions (%d distinct), the history %d", name, total, distinct, stored)
		}
		// The version files and the closings together give every version
		// its stored _valid_to.
		joined := fmt.Sprintf(`SELECT v._key, v._valid_from, coalesce(v._valid_to, c._valid_to) AS _valid_to
			FROM %s v LEFT JOIN read_parquet('%s/%s/**/*.parquet', hive_partitioning = true) c
			ON c.table_name = '%s' AND c._key = v._key AND c._valid_from = v._valid_from`, all, out, closingTable, name)
		stored2 := fmt.Sprintf("SELECT _key, _valid_from, _valid_to FROM history.%s", name)
		if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM ((%s) EXCEPT ALL (%s))", joined, stored2)); n != 0 {
			t.Errorf("%s: %d versions read back with a _valid_to that differs from the store", name, n)
		}
		if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM ((%s) EXCEPT ALL (%s))", stored2, joined)); n != 0 {
			t.Errorf("%s: %d stored versions are missing from the export", name, n)
		}
	}
	if versions != res.Summary.VersionsAdded {
		t.Errorf("second export wrote %d versions, the sync added %d", versions, res.Summary.VersionsAdded)
	}
	if closings := table(t, second, closingTable).Rows; closings != res.Summary.VersionsClosed {
		t.Errorf("second export wrote %d closings, the sync closed %d versions", closings, res.Summary.VersionsClosed)
	}
	// The third export replaced the tables that are replaced every time.
	replaced := func(ts TableSummary) bool { return ts.Write == string(writeReplace) }
	checkReadBack(t, db, second, replaced)
	checkReadBack(t, db, third, func(ts TableSummary) bool { return !replaced(ts) })
}

func TestSinceLastRecordsState(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "incremental")
	m := f.export(t, Options{Out: out, SinceLast: true})
	db := f.readOnly(t)
	if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM stance_export WHERE export_id = '%s'", m.ExportID)); n != int64(len(m.Tables)) {
		t.Errorf("stance_export holds %d rows of the export, want one per table (%d)", n, len(m.Tables))
	}
	abs, _ := filepath.Abs(out)
	if n := queryInt(t, db, fmt.Sprintf("SELECT max(through_sync_run_id) FROM stance_export WHERE out_dir = '%s'", abs)); n != m.ThroughSyncRunID {
		t.Errorf("recorded watermark %d, want %d", n, m.ThroughSyncRunID)
	}
}

// TestSinceLastFallsBackToManifest covers an export whose state could not
// be recorded: the folder's manifest still keeps the next export from
// writing the same versions again.
func TestSinceLastFallsBackToManifest(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "incremental")
	first := f.export(t, Options{Out: out, SinceLast: true})
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec("DELETE FROM stance_export"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	second := f.export(t, Options{Out: out, SinceLast: true})
	for _, name := range []string{"synthetic_compute_instance", "aws_s3_bucket"} {
		if ts := table(t, second, name); ts.Rows != 0 || ts.FromSyncRunID != first.ThroughSyncRunID {
			t.Errorf("%s: second export wrote %d rows from run %d, want 0 rows from run %d", name, ts.Rows, ts.FromSyncRunID, first.ThroughSyncRunID)
		}
	}
}

func TestExportRejectsInvalidOptions(t *testing.T) {
	f := newFixture(t)
	snapshotDir := filepath.Join(t.TempDir(), "snap")
	f.export(t, Options{Out: snapshotDir, Tables: []string{"aws_vpc"}})
	fileOut := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(fileOut, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"since-last with at", Options{Out: t.TempDir(), SinceLast: true, At: f.clock}, "drop --at"},
		{"history with at", Options{Out: t.TempDir(), History: true, At: f.clock}, "not both"},
		{"missing out", Options{}, "missing --out"},
		{"out is a file", Options{Out: fileOut}, "is a file"},
		{"pattern matches nothing", Options{Out: t.TempDir(), Tables: []string{"aws_s3_bucket", "gcp_nothing_*"}}, "gcp_nothing_* matches no table"},
		{"invalid pattern", Options{Out: t.TempDir(), Tables: []string{"aws_[s3"}}, "invalid --tables pattern"},
		{"history into a snapshot folder", Options{Out: snapshotDir, History: true}, "contains a snapshot export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Logger = nil
			_, err := Run(context.Background(), f.db, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestAtBeforeFirstSync(t *testing.T) {
	f := newFixture(t)
	before := f.clock.Add(-24 * time.Hour)
	m := f.export(t, Options{Out: filepath.Join(t.TempDir(), "early"), At: before})
	if m.SnapshotSyncRunID != 0 {
		t.Errorf("snapshot_sync_run_id %d, want 0 for a moment before the first sync", m.SnapshotSyncRunID)
	}
	if m.ThroughSyncRunID == 0 {
		t.Error("through_sync_run_id is 0, want the newest sync run in the database")
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "before the first sync") {
		t.Errorf("warnings %q, want one saying --at is before the first sync", m.Warnings)
	}
	ts := table(t, m, "synthetic_compute_instance")
	if ts.Rows != 0 {
		t.Errorf("exported %d rows of synthetic_compute_instance before the first sync, want 0", ts.Rows)
	}
}

func TestMissingDatabaseBeforeManifest(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "hist")
	f.export(t, Options{Out: out, History: true})
	missing := filepath.Join(t.TempDir(), "none.duckdb")
	_, err := Run(context.Background(), missing, Options{Out: out, History: true, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		t.Fatal("export of a missing database succeeded")
	}
	if !strings.Contains(err.Error(), "no database at "+missing) {
		t.Errorf("error %q, want one naming the missing database %s", err, missing)
	}
	if !strings.Contains(err.Error(), "stance demo") {
		t.Errorf("error %q does not say how to create a database", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("the export created the missing database: stat returned %v", err)
	}
}

func TestExportWithoutSync(t *testing.T) {
	db := filepath.Join(t.TempDir(), "empty.duckdb")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Run(context.Background(), db, Options{Out: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no sync run") {
		t.Errorf("error %v, want one saying there is no sync run", err)
	}
}

func TestExportFilesArePrivate(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "lake")
	f.export(t, Options{Out: out, Tables: []string{"aws_iam_*"}})
	for _, rel := range listFiles(t, out) {
		info, err := os.Stat(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", rel, mode)
		}
		if strings.Contains(rel, ".staging-") {
			t.Errorf("staging file %s left behind", rel)
		}
	}
}

// TestManifestColumnsGolden pins the manifest's description of one table,
// with the values that change from run to run left out.
func TestManifestColumnsGolden(t *testing.T) {
	f := newFixture(t)
	m := f.export(t, Options{Out: filepath.Join(t.TempDir(), "lake"), Tables: []string{"synthetic_compute_instance"}})
	ts := table(t, m, "synthetic_compute_instance")
	ts.Files = nil
	ts.SyncRuns = nil
	got, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "manifest_table.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./export -run Golden -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("manifest table entry differs from %s:\n%s", golden, got)
	}
}
