// Package export writes the stance database as Parquet files that BI tools
// and other engines read: one folder per table, Hive-style partitions, ZSTD
// compression and a JSON manifest. It also writes single query results as
// Parquet or Arrow IPC.
//
// DuckDB's COPY ... TO writes the files, from a database opened read-only.
// History exports then open the database for writing once, to record in
// stance_export what they covered, so that the next --since-last export
// into the same folder writes only newer versions.
package export

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// Mode selects what an export writes.
type Mode string

const (
	// ModeSnapshot writes the estate at one moment: the present, or --at.
	ModeSnapshot Mode = "snapshot"
	// ModeHistory writes every version of every resource.
	ModeHistory Mode = "history"
	// ModeSinceLast writes the versions that are new since the previous
	// history export into the same folder, and the closings of versions
	// that earlier exports wrote while they were current.
	ModeSinceLast Mode = "since_last"
)

// Options configure an export.
type Options struct {
	// Out is the output folder, created 0700 when missing.
	Out string
	// Tables are glob patterns of table names, such as "aws_s3_*"; empty
	// exports every table.
	Tables []string
	// At selects the moment of a snapshot export; zero means the present.
	At time.Time
	// History exports every version instead of one moment.
	History bool
	// SinceLast exports only what is new since the previous history export
	// into Out.
	SinceLast bool
	// Now returns the current time (default time.Now).
	Now func() time.Time
	// Logger receives one line per table (default slog.Default()).
	Logger *slog.Logger
}

func (o Options) mode() (Mode, error) {
	switch {
	case o.SinceLast && !o.At.IsZero():
		return "", errors.New("--since-last exports versions, not a moment: drop --at")
	case o.History && !o.At.IsZero():
		return "", errors.New("--history exports every version, not a moment: use --at or --history, not both")
	case o.SinceLast:
		return ModeSinceLast, nil
	case o.History:
		return ModeHistory, nil
	}
	return ModeSnapshot, nil
}

// Run exports the database at dbPath into opts.Out and returns the
// manifest it wrote. New files are written into a staging folder inside
// Out and moved into place after every table was written, so a failed
// export leaves the earlier files of Out as they were.
func Run(ctx context.Context, dbPath string, opts Options) (*Manifest, error) {
	mode, err := opts.mode()
	if err != nil {
		return nil, err
	}
	if opts.Out == "" {
		return nil, errors.New("missing --out: name the folder to write the export into")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, fmt.Errorf("resolve --out %s: %w", opts.Out, err)
	}
	database, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, fmt.Errorf("resolve database path %s: %w", dbPath, err)
	}
	// The database comes first, so that a missing one is not reported as a
	// mismatch with the manifest of --out.
	if err := store.CheckExists(database); err != nil {
		return nil, err
	}
	if info, err := os.Stat(out); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("--out %s is a file: name a folder", out)
	}
	layout := LayoutSnapshot
	if mode != ModeSnapshot {
		layout = LayoutHistory
	}
	prev, err := ReadManifest(out)
	if err != nil {
		return nil, err
	}
	if prev != nil && prev.Layout != layout {
		return nil, fmt.Errorf("--out %s contains a %s export and cannot take a %s export: use another folder", out, prev.Layout, layout)
	}
	if prev != nil && prev.Database != database {
		return nil, fmt.Errorf("--out %s contains an export of the database %s, not %s: use another folder", out, prev.Database, database)
	}
	if err := os.MkdirAll(out, 0o700); err != nil {
		return nil, fmt.Errorf("create --out folder: %w", err)
	}

	id, err := newExportID(opts.Now())
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		SchemaVersion: SchemaVersion,
		ExportID:      id,
		ExportedAt:    opts.Now().UTC().Truncate(time.Microsecond),
		Mode:          mode,
		Layout:        layout,
		Database:      database,
		OutDir:        out,
		SyncRuns:      []SyncRun{},
	}
	staging := filepath.Join(out, ".staging-"+id)
	if err := os.Mkdir(staging, 0o700); err != nil {
		return nil, fmt.Errorf("create staging folder: %w", err)
	}
	defer os.RemoveAll(staging)

	sources, err := writeStaged(ctx, dbPath, opts, mode, prev, staging, m)
	if err != nil {
		return nil, err
	}
	if err := moveIntoPlace(staging, out, sources, m); err != nil {
		return nil, err
	}
	if err := writeManifest(out, m); err != nil {
		return nil, err
	}
	if mode == ModeSnapshot {
		return m, nil
	}
	if err := recordState(ctx, dbPath, m); err != nil {
		return m, fmt.Errorf("the export is complete in %s, but its state was not recorded in the database (the folder's manifest still lets the next --since-last start after it): %w", out, err)
	}
	return m, nil
}

// writeStaged opens the database read-only and writes every table into the
// staging folder, filling the manifest.
func writeStaged(ctx context.Context, dbPath string, opts Options, mode Mode, prev *Manifest, staging string, m *Manifest) ([]source, error) {
	st, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	conn, err := st.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Dates of partitions are UTC dates, whatever the session's zone.
	if _, err := conn.ExecContext(ctx, "SET TimeZone = 'UTC'"); err != nil {
		return nil, fmt.Errorf("set export time zone: %w", err)
	}

	wm, err := readWatermark(ctx, conn)
	if err != nil {
		return nil, err
	}
	if wm.syncRun == 0 {
		return nil, errors.New("the database contains no sync run yet: run 'stance sync' first")
	}
	m.ThroughSyncRunID, m.ThroughCheckRunID = wm.syncRun, wm.checkRun
	p := &planner{conn: conn, opts: opts, mode: mode, wm: wm, snapshotAt: wm.syncTime, last: map[string]tableState{}}
	if !opts.At.IsZero() {
		p.snapshotAt = opts.At.UTC().Truncate(time.Microsecond)
	}
	if mode == ModeSnapshot {
		at := p.snapshotAt
		m.SnapshotAt = &at
		m.SnapshotSyncRunID = wm.latestAt(at)
		if m.SnapshotSyncRunID == 0 {
			m.Warnings = append(m.Warnings, fmt.Sprintf("--at %s is before the first sync (%s): the estate of that time is unknown, so resource tables are empty",
				at.Format(time.RFC3339), wm.firstTime().Format(time.RFC3339)))
		}
	}
	if mode == ModeSinceLast {
		if p.last, err = readState(ctx, conn, m.OutDir); err != nil {
			return nil, err
		}
		mergeManifestState(p.last, prev, m.Database)
	}
	planStart := time.Now()
	sources, err := p.plan(ctx)
	if err != nil {
		return nil, err
	}
	opts.Logger.Debug("planned export", "tables", len(sources), "duration", time.Since(planStart).Round(time.Millisecond))

	runs := map[int64]bool{}
	for _, s := range sources {
		start := time.Now()
		ts, err := copySource(ctx, conn, s, staging, m.ExportID)
		if err != nil {
			return nil, err
		}
		for _, r := range ts.SyncRuns {
			runs[r.RunID] = true
		}
		m.Tables = append(m.Tables, ts)
		opts.Logger.Info("exported table", "table", s.name, "rows", ts.Rows, "files", len(ts.Files), "duration", time.Since(start).Round(time.Millisecond))
	}
	if m.SyncRuns, err = readSyncRuns(ctx, conn, runs); err != nil {
		return nil, err
	}
	return sources, nil
}

// copySource writes one table into the staging folder with DuckDB's COPY
// and describes what it wrote.
func copySource(ctx context.Context, conn *sql.Conn, s source, staging, exportID string) (TableSummary, error) {
	ts := TableSummary{
		Name:              s.name,
		Provider:          s.provider,
		Description:       s.description,
		Folder:            s.name,
		PartitionBy:       s.partitionBy,
		Write:             string(s.write),
		Files:             []string{},
		FromSyncRunID:     s.fromSync,
		ThroughSyncRunID:  s.throughSync,
		FromCheckRunID:    s.fromCheck,
		ThroughCheckRunID: s.throughCheck,
	}
	if ts.PartitionBy == nil {
		ts.PartitionBy = []string{}
	}
	if s.query == "" {
		return ts, nil
	}
	target := filepath.Join(staging, s.name)
	if err := os.MkdirAll(filepath.Join(target, filepath.FromSlash(s.fixedDir)), 0o700); err != nil {
		return ts, fmt.Errorf("export %s: %w", s.name, err)
	}
	res, err := conn.ExecContext(ctx, copyStatement(s, target, exportID))
	if err != nil {
		return ts, fmt.Errorf("export %s: %w", s.name, err)
	}
	if ts.Rows, err = res.RowsAffected(); err != nil {
		return ts, fmt.Errorf("export %s: count rows: %w", s.name, err)
	}

	if ts.Columns, err = describeColumns(ctx, conn, s); err != nil {
		return ts, err
	}
	if ts.Rows == 0 && s.write == writeAppend {
		// An empty file added to every incremental export would only pile
		// up; readers get the schema from earlier files and the manifest.
		return ts, nil
	}

	err = filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(staging, p)
		if err != nil {
			return err
		}
		ts.Files = append(ts.Files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return ts, fmt.Errorf("export %s: list files: %w", s.name, err)
	}
	sort.Strings(ts.Files)
	if s.resource && len(ts.Files) > 0 {
		if ts.SyncRuns, err = countRuns(ctx, conn, staging, ts.Files); err != nil {
			return ts, fmt.Errorf("export %s: %w", s.name, err)
		}
	}
	return ts, nil
}

// copyStatement returns the COPY statement that writes a source under
// target. File names start with the export id, so files of different
// exports never collide in one partition.
func copyStatement(s source, target, exportID string) string {
	options := []string{"FORMAT parquet", "COMPRESSION zstd"}
	query := s.query
	dest := target
	if s.fixedDir != "" {
		query = fmt.Sprintf("SELECT * EXCLUDE (%s) FROM (%s)", strings.Join(s.partitionBy, ", "), s.query)
		dest = filepath.Join(target, filepath.FromSlash(s.fixedDir), exportID+"_0.parquet")
	} else if len(s.partitionBy) > 0 {
		options = append(options,
			"PARTITION_BY ("+strings.Join(s.partitionBy, ", ")+")",
			"FILENAME_PATTERN "+quoteText(exportID+"_{i}"))
	} else {
		dest = filepath.Join(target, exportID+"_0.parquet")
	}
	if len(s.jsonColumns) > 0 {
		names := make([]string, 0, len(s.jsonColumns))
		for name := range s.jsonColumns {
			names = append(names, name)
		}
		sort.Strings(names)
		// Readers that look at the file alone learn from this key which
		// text columns hold JSON documents.
		options = append(options, "KV_METADATA {stance_json_columns: "+quoteText(strings.Join(names, ","))+"}")
	}
	return fmt.Sprintf("COPY (%s) TO %s (%s)", query, quoteText(dest), strings.Join(options, ", "))
}

// describeColumns returns the columns of a source with their types and
// descriptions.
func describeColumns(ctx context.Context, conn *sql.Conn, s source) ([]ColumnSummary, error) {
	rows, err := conn.QueryContext(ctx, "DESCRIBE "+s.query)
	if err != nil {
		return nil, fmt.Errorf("describe columns of %s: %w", s.name, err)
	}
	defer rows.Close()
	partition := map[string]bool{}
	for _, c := range s.partitionBy {
		partition[c] = true
	}
	var cols []ColumnSummary
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			return nil, fmt.Errorf("describe columns of %s: %w", s.name, err)
		}
		description := s.descriptions[name]
		if description == "" {
			description = engineColumns[name]
		}
		cols = append(cols, ColumnSummary{
			Name:        name,
			Type:        typ,
			JSON:        s.jsonColumns[name],
			Partition:   partition[name],
			Description: description,
		})
	}
	return cols, rows.Err()
}

// countRuns counts the rows of the written files per sync run.
func countRuns(ctx context.Context, conn *sql.Conn, staging string, files []string) ([]RunRows, error) {
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = quoteText(filepath.Join(staging, filepath.FromSlash(f)))
	}
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT %s, count(*) FROM read_parquet([%s]) GROUP BY 1 ORDER BY 1",
		store.ColRunID, strings.Join(quoted, ", ")))
	if err != nil {
		return nil, fmt.Errorf("count rows per sync run: %w", err)
	}
	defer rows.Close()
	var out []RunRows
	for rows.Next() {
		var r RunRows
		if err := rows.Scan(&r.RunID, &r.Rows); err != nil {
			return nil, fmt.Errorf("count rows per sync run: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func readSyncRuns(ctx context.Context, conn *sql.Conn, ids map[int64]bool) ([]SyncRun, error) {
	out := []SyncRun{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, fmt.Sprint(id))
	}
	rows, err := conn.QueryContext(ctx, `SELECT run_id, provider, source, sync_time, status FROM stance_sync_run
		WHERE run_id IN (`+strings.Join(list, ", ")+`) ORDER BY run_id`)
	if err != nil {
		return nil, fmt.Errorf("read sync runs of the export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SyncRun
		if err := rows.Scan(&r.RunID, &r.Provider, &r.Source, &r.SyncTime, &r.Status); err != nil {
			return nil, fmt.Errorf("read sync runs of the export: %w", err)
		}
		r.SyncTime = r.SyncTime.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// moveIntoPlace clears what each table replaces and moves the staged files
// into the output folder, with mode 0600 because they hold the same
// configuration data as the database.
// NOTE: a crash between two moves leaves some tables new and some old; the
// manifest, written after the moves, still describes the previous export.
func moveIntoPlace(staging, out string, sources []source, m *Manifest) error {
	for _, s := range sources {
		for _, dir := range s.clear {
			if err := os.RemoveAll(filepath.Join(out, filepath.FromSlash(dir))); err != nil {
				return fmt.Errorf("replace %s: %w", dir, err)
			}
		}
	}
	for _, t := range m.Tables {
		for _, f := range t.Files {
			from := filepath.Join(staging, filepath.FromSlash(f))
			to := filepath.Join(out, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
				return fmt.Errorf("move %s into place: %w", f, err)
			}
			if err := os.Chmod(from, 0o600); err != nil {
				return fmt.Errorf("restrict permissions of %s: %w", f, err)
			}
			if err := os.Rename(from, to); err != nil {
				return fmt.Errorf("move %s into place: %w", f, err)
			}
		}
	}
	return nil
}

// newExportID returns an id that sorts by time and is unique across
// exports into one folder, such as 20261204T235959Z-3f9a0c1e.
func newExportID(now time.Time) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("make export id: %w", err)
	}
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:]), nil
}
