package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	duckdb "github.com/duckdb/duckdb-go/v2"
	gojson "github.com/goccy/go-json"
)

// MergeStats counts what one merge changed in a history table.
type MergeStats struct {
	VersionsAdded  int64
	VersionsClosed int64
}

// flushRows is the number of rows that a table's appender buffers before it
// inserts them into history. It bounds what DuckDB holds outside the table
// to about flushRows rows per table being written.
const flushRows = 8192

// noPartition marks a key without an open version, or one that the run has
// not seen yet.
const noPartition int32 = -1

// Writer writes the rows of one sync run into history. Each table gets its
// own connection and transaction, opened by the first Append or Merge of
// that table. Rows of new and changed resources go straight into
// the history table, and Merge closes the versions they replace and those
// of deleted resources, then commits. Other connections see none of the
// run's changes to a table until its Merge commits.
//
// A Writer must be used from one goroutine at a time.
type Writer struct {
	store    *Store
	runID    int64
	syncTime time.Time
	tables   map[string]*tableWriter
	// partitions numbers the partition names ("account/region") that the
	// run has written, so that each key entry stores 4 bytes per partition.
	partitions map[string]int32
}

// InvalidRowError reports a row that Append rejected without writing it,
// because a JSON column contains text that is not a JSON document. The table
// stays writable. The caller must fail the row's partition: Discard it and
// leave it out of Merge, as for a partition whose fetch failed.
type InvalidRowError struct {
	Table  string
	Column string
	Key    string
	// Document is the invalid text, cut to its first 80 bytes.
	Document string
}

func (e *InvalidRowError) Error() string {
	return fmt.Sprintf("table %s column %s of resource %s: invalid JSON document %q", e.Table, e.Column, e.Key, e.Document)
}

// tableWriter is the state of one table within a run.
type tableWriter struct {
	schema Schema
	// jsonColumns are the positions of the JSON columns in schema.
	jsonColumns []int
	conn        *sql.Conn
	inTx        bool
	appender    *duckdb.Appender
	// buffered counts the rows in the appender since its last flush.
	buffered int
	// keys maps each key with an open version, and each key that the run
	// wrote, to its entry. Unchanged resources cost one lookup and nothing
	// else.
	keys    map[string]int32
	entries []keyEntry
	// added counts the versions written per partition id.
	added map[int32]int64
	// err is the first write failure. DuckDB then aborts the transaction,
	// so every later call on the table returns it.
	err error
}

// keyEntry is the state of one resource key within a run.
type keyEntry struct {
	// hash is the hash of the open version.
	hash uint64
	// open is the partition of the open version, noPartition when the key
	// has none.
	open int32
	// seen is the partition whose row of the key the run wrote or found
	// unchanged, noPartition while no partition delivered the key.
	seen int32
	// changed is set when the run wrote a new version of a key that had an
	// open one, which the merge then closes.
	changed bool
}

// NewWriter returns a writer for the sync run runID. Every version that the
// run adds starts at syncTime and every version it closes ends there.
func (s *Store) NewWriter(ctx context.Context, runID int64, syncTime time.Time) (*Writer, error) {
	return &Writer{store: s, runID: runID, syncTime: syncTime.UTC(), tables: map[string]*tableWriter{}, partitions: map[string]int32{}}, nil
}

// Close rolls back the tables that were not merged and releases their
// connections.
func (w *Writer) Close() error {
	var errs []error
	for name := range w.tables {
		errs = append(errs, w.release(name))
	}
	return errors.Join(errs...)
}

// release ends the table's transaction, rolling it back unless Merge
// committed it, and closes its connection.
func (w *Writer) release(table string) error {
	t, ok := w.tables[table]
	if !ok {
		return nil
	}
	delete(w.tables, table)
	var errs []error
	if t.appender != nil {
		// After a failure DuckDB has invalidated the appender, so its error
		// adds nothing.
		if err := t.appender.Close(); err != nil && t.err == nil {
			errs = append(errs, fmt.Errorf("close appender of %s: %w", table, err))
		}
	}
	if t.inTx {
		if _, err := t.conn.ExecContext(context.Background(), "ROLLBACK"); err != nil && t.err == nil {
			errs = append(errs, fmt.Errorf("roll back writes to %s: %w", table, err))
		}
	}
	if err := t.conn.Close(); err != nil {
		errs = append(errs, fmt.Errorf("release connection of %s: %w", table, err))
	}
	return errors.Join(errs...)
}

func (w *Writer) partitionID(partition string) int32 {
	id, ok := w.partitions[partition]
	if !ok {
		id = int32(len(w.partitions))
		w.partitions[partition] = id
	}
	return id
}

// table returns the state of a table, opening its connection and
// transaction and reading its open versions on first use.
func (w *Writer) table(ctx context.Context, sc Schema) (*tableWriter, error) {
	if t, ok := w.tables[sc.Name]; ok {
		return t, t.err
	}
	conn, err := w.store.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", sc.Name, err)
	}
	t := &tableWriter{schema: sc, conn: conn, added: map[int32]int64{}}
	for i, c := range sc.Columns {
		if c.Type == TypeJSON {
			t.jsonColumns = append(t.jsonColumns, i)
		}
	}
	w.tables[sc.Name] = t
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		t.err = fmt.Errorf("write %s: begin transaction: %w", sc.Name, err)
		return t, t.err
	}
	t.inTx = true
	if err := w.loadOpenVersions(ctx, t); err != nil {
		t.err = err
		return t, err
	}
	if err := w.openAppender(ctx, t); err != nil {
		t.err = err
		return t, err
	}
	return t, nil
}

// loadOpenVersions reads the key, hash and partition of every open version
// of the table, inside the table's transaction.
func (w *Writer) loadOpenVersions(ctx context.Context, t *tableWriter) error {
	history := HistorySchema + "." + t.schema.Name
	var n int
	if err := t.conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s IS NULL`, history, ColValidTo)).Scan(&n); err != nil {
		return fmt.Errorf("count open versions of %s: %w", t.schema.Name, err)
	}
	t.keys = make(map[string]int32, n)
	t.entries = make([]keyEntry, 0, n)
	rows, err := t.conn.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s, %s FROM %s WHERE %s IS NULL`,
		ColKey, ColHash, ColPartition, history, ColValidTo))
	if err != nil {
		return fmt.Errorf("read open versions of %s: %w", t.schema.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, partition string
		var hash uint64
		if err := rows.Scan(&key, &hash, &partition); err != nil {
			return fmt.Errorf("read open versions of %s: %w", t.schema.Name, err)
		}
		t.keys[key] = int32(len(t.entries))
		t.entries = append(t.entries, keyEntry{hash: hash, open: w.partitionID(partition), seen: noPartition})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read open versions of %s: %w", t.schema.Name, err)
	}
	return nil
}

// openAppender creates the appender that inserts rows into the history
// table. It appends JSON columns as text and casts them in the insert,
// because the driver would encode every document again in Go, while
// DuckDB validates the text far faster. The column types come from a temporary
// template table with the appended columns, dropped right after.
func (w *Writer) openAppender(ctx context.Context, t *tableWriter) error {
	sc := t.schema
	template := "stance_write_" + sc.Name
	defs := make([]string, 0, len(sc.Columns)+3)
	names := make([]string, 0, len(sc.Columns)+6)
	selects := make([]string, 0, len(sc.Columns)+6)
	for i, c := range sc.Columns {
		typ, sel := c.Type, fmt.Sprintf("col%d", i+1)
		if typ == TypeJSON {
			typ, sel = TypeText, sel+"::JSON"
		}
		defs = append(defs, c.Name+" "+typ)
		names = append(names, c.Name)
		selects = append(selects, sel)
	}
	n := len(sc.Columns)
	defs = append(defs, ColKey+" VARCHAR", ColHash+" UBIGINT", ColPartition+" VARCHAR")
	names = append(names, ColKey, ColHash, ColPartition, ColValidFrom, ColValidTo, ColRunID)
	selects = append(selects, fmt.Sprintf("col%d", n+1), fmt.Sprintf("col%d", n+2), fmt.Sprintf("col%d", n+3),
		"TIMESTAMPTZ '"+w.syncTime.Format("2006-01-02 15:04:05.999999")+"+00'", "NULL", fmt.Sprint(w.runID))
	query := fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT %s FROM appended_data",
		HistorySchema, sc.Name, strings.Join(names, ", "), strings.Join(selects, ", "))

	if _, err := t.conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE %s (%s)", template, strings.Join(defs, ", "))); err != nil {
		return fmt.Errorf("write %s: create template table: %w", sc.Name, err)
	}
	err := t.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		a, err := duckdb.NewTableAppender(conn, query, "temp", "main", template, nil)
		if err != nil {
			return err
		}
		t.appender = a
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %s: create appender: %w", sc.Name, err)
	}
	if _, err := t.conn.ExecContext(ctx, "DROP TABLE temp.main."+template); err != nil {
		return fmt.Errorf("write %s: drop template table: %w", sc.Name, err)
	}
	return nil
}

// Append writes rows of one partition. A partition may be appended in
// several batches, but its rows become part of history only when Merge
// lists it as completed. If its fetch fails later, call Discard, or leave
// it out of Merge. A row whose hash equals its open version is not
// written. Of several rows with one key in a run, the first is kept.
//
// Append checks the JSON documents of the rows that it writes, not of
// unchanged rows, whose documents equal those of their open version. On
// an invalid document it returns an *InvalidRowError and does not write
// the rest of rows, so the caller must fail the partition.
func (w *Writer) Append(ctx context.Context, sc Schema, partition string, rows []Row) error {
	for _, r := range rows {
		if len(r.Values) != len(sc.Columns) {
			return fmt.Errorf("write row %s of %s: got %d values for %d columns", r.Key, sc.Name, len(r.Values), len(sc.Columns))
		}
	}
	t, err := w.table(ctx, sc)
	if err != nil {
		return err
	}
	pid := w.partitionID(partition)
	args := make([]driver.Value, len(sc.Columns)+3)
	for _, r := range rows {
		i, known := t.keys[r.Key]
		var e *keyEntry
		if known {
			e = &t.entries[i]
			if e.seen != noPartition {
				// NOTE: when the partition that delivered the key first
				// is discarded later, this row is lost for the run too.
				continue
			}
			if e.open != noPartition && e.hash == r.Hash {
				e.seen = pid
				continue
			}
		}
		if err := t.checkDocuments(r); err != nil {
			return err
		}
		if known {
			e.seen = pid
			e.changed = e.open != noPartition
		} else {
			t.keys[r.Key] = int32(len(t.entries))
			t.entries = append(t.entries, keyEntry{open: noPartition, seen: pid})
		}
		for i, v := range r.Values {
			switch x := v.(type) {
			case json.RawMessage:
				// The appender copies the text into DuckDB's vector
				// before returning, so a view of the bytes suffices.
				v = unsafe.String(unsafe.SliceData(x), len(x))
			case Tags:
				v = x.OrderedMap()
			}
			args[i] = v
		}
		args[len(sc.Columns)] = r.Key
		args[len(sc.Columns)+1] = r.Hash
		args[len(sc.Columns)+2] = partition
		if err := t.appender.AppendRow(args...); err != nil {
			t.err = fmt.Errorf("write row %s of %s: %w", r.Key, sc.Name, err)
			return t.err
		}
		t.added[pid]++
		t.buffered++
	}
	if t.buffered >= flushRows {
		return t.flush()
	}
	return nil
}

// checkDocuments returns an *InvalidRowError if a JSON column of r contains
// text that is not a JSON document. Without this check, the cast to JSON in
// the appender's INSERT would fail and abort the table's transaction.
// go-json's Valid is several times faster than encoding/json's on
// documents of a kilobyte, and it copies its input, so the text that a
// document shares with its record stays unmodified.
func (t *tableWriter) checkDocuments(r Row) error {
	for _, i := range t.jsonColumns {
		doc, ok := r.Values[i].(json.RawMessage)
		if !ok || gojson.Valid(doc) {
			continue
		}
		const maxPrefix = 80
		prefix := doc
		if len(prefix) > maxPrefix {
			prefix = prefix[:maxPrefix]
		}
		return &InvalidRowError{Table: t.schema.Name, Column: t.schema.Columns[i].Name, Key: r.Key, Document: string(prefix)}
	}
	return nil
}

// flush inserts the buffered rows into the history table.
func (t *tableWriter) flush() error {
	if t.buffered == 0 {
		return nil
	}
	t.buffered = 0
	if err := t.appender.Flush(); err != nil {
		t.err = fmt.Errorf("write rows of %s: %w", t.schema.Name, err)
		return t.err
	}
	return nil
}

// Discard removes the rows that Append wrote for a partition whose fetch
// then failed, so that the partition keeps its previous versions.
func (w *Writer) Discard(ctx context.Context, sc Schema, partition string) error {
	t, ok := w.tables[sc.Name]
	if !ok {
		return nil
	}
	if t.err != nil {
		return t.err
	}
	pid, ok := w.partitions[partition]
	if !ok {
		return nil
	}
	return t.discard(ctx, w.runID, pid, partition)
}

func (t *tableWriter) discard(ctx context.Context, runID int64, pid int32, partition string) error {
	if t.added[pid] > 0 {
		if err := t.flush(); err != nil {
			return err
		}
		_, err := t.conn.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s.%s WHERE %s = ? AND %s = ?`,
			HistorySchema, t.schema.Name, ColRunID, ColPartition), runID, partition)
		if err != nil {
			t.err = fmt.Errorf("discard rows of %s in %s: %w", t.schema.Name, partition, err)
			return t.err
		}
		delete(t.added, pid)
	}
	for i := range t.entries {
		if e := &t.entries[i]; e.seen == pid {
			e.seen, e.changed = noPartition, false
		}
	}
	return nil
}

// Merge completes the run's writes to a table in its transaction and
// commits them. completed lists every partition whose fetch completed,
// those without rows included. An open version in a completed partition
// whose key the run did not see is closed as deleted, and open versions
// that the run replaced are closed. Rows of partitions not listed are
// discarded, so those partitions stay exactly as they were.
func (w *Writer) Merge(ctx context.Context, sc Schema, completed []string) (MergeStats, error) {
	var stats MergeStats
	if len(completed) == 0 {
		return stats, w.release(sc.Name)
	}
	defer w.release(sc.Name)
	t, err := w.table(ctx, sc)
	if err != nil {
		return stats, fmt.Errorf("merge %s: %w", sc.Name, err)
	}

	done := make(map[int32]bool, len(completed))
	for _, p := range completed {
		done[w.partitionID(p)] = true
	}
	for partition, pid := range w.partitions {
		if _, wrote := t.added[pid]; wrote && !done[pid] {
			if err := t.discard(ctx, w.runID, pid, partition); err != nil {
				return stats, fmt.Errorf("merge %s: %w", sc.Name, err)
			}
		}
	}
	err = t.appender.Close()
	t.appender = nil
	if err != nil {
		t.err = err
		return stats, fmt.Errorf("merge %s: add new versions: %w", sc.Name, err)
	}

	var closing []string
	for key, i := range t.keys {
		e := t.entries[i]
		if e.open != noPartition && (e.changed || (e.seen == noPartition && done[e.open])) {
			closing = append(closing, key)
		}
	}
	if len(closing) > 0 {
		if stats.VersionsClosed, err = w.closeVersions(ctx, t, closing); err != nil {
			t.err = err
			return stats, fmt.Errorf("merge %s: %w", sc.Name, err)
		}
	}

	if _, err := t.conn.ExecContext(ctx, "COMMIT"); err != nil {
		t.err = err
		return stats, fmt.Errorf("merge %s: commit: %w", sc.Name, err)
	}
	t.inTx = false
	for _, n := range t.added {
		stats.VersionsAdded += n
	}
	return stats, nil
}

// closeVersions ends the open versions of the given keys at the sync time.
// The keys go through a temporary table, because an IN list of a million
// literals would not do. Versions that this run wrote stay open.
func (w *Writer) closeVersions(ctx context.Context, t *tableWriter, keys []string) (int64, error) {
	if _, err := t.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stance_close_keys (k VARCHAR)`); err != nil {
		return 0, fmt.Errorf("stage versions to close: %w", err)
	}
	err := t.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		appender, err := duckdb.NewAppender(conn, "temp", "main", "stance_close_keys")
		if err != nil {
			return err
		}
		for _, key := range keys {
			if err := appender.AppendRow(key); err != nil {
				appender.Close()
				return err
			}
		}
		return appender.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("stage versions to close: %w", err)
	}
	res, err := t.conn.ExecContext(ctx, fmt.Sprintf(`UPDATE %s.%s SET %s = ? WHERE %s IS NULL AND %s <> ? AND %s IN (SELECT k FROM temp.main.stance_close_keys)`,
		HistorySchema, t.schema.Name, ColValidTo, ColValidTo, ColRunID, ColKey), w.syncTime, w.runID)
	if err != nil {
		return 0, fmt.Errorf("close replaced and deleted versions: %w", err)
	}
	closed, _ := res.RowsAffected()
	if _, err := t.conn.ExecContext(ctx, `DROP TABLE temp.main.stance_close_keys`); err != nil {
		return 0, fmt.Errorf("drop staged keys: %w", err)
	}
	return closed, nil
}
