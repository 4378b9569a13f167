package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/zeebo/xxh3"
)

// Row is one resource row on its way into a history table. Values are in
// the order of the table's Schema.Columns.
type Row struct {
	Key    string
	Hash   uint64
	Values []any
}

// NewRow returns a row whose Hash covers every value, so that two rows with
// equal values have equal hashes in any process. Times are compared in UTC
// and map keys in sorted order.
func NewRow(key string, values []any) (Row, error) {
	h := xxh3.New()
	var buf [9]byte
	for i, v := range values {
		if err := hashValue(h, buf[:], v); err != nil {
			return Row{}, fmt.Errorf("hash row %s value %d: %w", key, i, err)
		}
	}
	return Row{Key: key, Hash: h.Sum64(), Values: values}, nil
}

// hashValue writes v into h with a type tag and, for variable-length
// values, a length prefix, so that different values never write the same
// bytes.
func hashValue(h *xxh3.Hasher, buf []byte, v any) error {
	tagged := func(tag byte, n uint64) {
		buf[0] = tag
		binary.LittleEndian.PutUint64(buf[1:], n)
		h.Write(buf[:9])
	}
	switch x := v.(type) {
	case nil:
		tagged(0, 0)
	case string:
		tagged(1, uint64(len(x)))
		h.WriteString(x)
	case json.RawMessage:
		tagged(2, uint64(len(x)))
		h.Write(x)
	case []byte:
		tagged(3, uint64(len(x)))
		h.Write(x)
	case bool:
		n := uint64(0)
		if x {
			n = 1
		}
		tagged(4, n)
	case int64:
		tagged(5, uint64(x))
	case int:
		tagged(5, uint64(x))
	case int32:
		tagged(5, uint64(x))
	case float64:
		tagged(6, math.Float64bits(x))
	case time.Time:
		tagged(7, uint64(x.UTC().UnixNano()))
	case []any:
		tagged(8, uint64(len(x)))
		for _, e := range x {
			if err := hashValue(h, buf, e); err != nil {
				return err
			}
		}
	case []string:
		tagged(8, uint64(len(x)))
		for _, e := range x {
			tagged(1, uint64(len(e)))
			h.WriteString(e)
		}
	case duckdb.Map, duckdb.OrderedMap:
		var keys []string
		values := map[string]any{}
		add := func(k, e any) {
			ks := fmt.Sprint(k)
			keys = append(keys, ks)
			values[ks] = e
		}
		if m, ok := x.(duckdb.Map); ok {
			for k, e := range m {
				add(k, e)
			}
		} else {
			om := x.(duckdb.OrderedMap)
			ks, es := om.Keys(), om.Values()
			for i := range ks {
				add(ks[i], es[i])
			}
		}
		sort.Strings(keys)
		tagged(9, uint64(len(keys)))
		for _, k := range keys {
			tagged(1, uint64(len(k)))
			h.WriteString(k)
			if err := hashValue(h, buf, values[k]); err != nil {
				return err
			}
		}
	default:
		// Values of other types are rare: hash their JSON encoding.
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		tagged(10, uint64(len(b)))
		h.Write(b)
	}
	return nil
}

// MergeStats counts what one merge changed in a history table.
type MergeStats struct {
	VersionsAdded  int64
	VersionsClosed int64
}

// Writer stages the rows of one sync run and merges them into history. It
// owns one connection, so it must be used from one goroutine at a time.
type Writer struct {
	conn     *sql.Conn
	runID    int64
	syncTime time.Time
	staged   map[string]bool
	// known holds, per table, the open versions as the run found them and
	// the keys the run has seen, so that unchanged rows are never staged.
	known map[string]*knownTable
}

// knownTable is a Writer's record of one table's open versions.
type knownTable struct {
	open map[string]openVersion
	seen map[string]struct{}
	// changed lists keys whose open version the run replaces.
	changed []string
}

type openVersion struct {
	hash      uint64
	partition string
}

// NewWriter returns a writer for the sync run runID. Every version that the
// run adds starts at syncTime and every version it closes ends there.
func (s *Store) NewWriter(ctx context.Context, runID int64, syncTime time.Time) (*Writer, error) {
	conn, err := s.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &Writer{conn: conn, runID: runID, syncTime: syncTime.UTC(), staged: map[string]bool{}, known: map[string]*knownTable{}}, nil
}

// Close drops the staging tables and releases the connection.
func (w *Writer) Close() error {
	for name := range w.staged {
		w.conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+stageName(name))
	}
	w.conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp.main.stance_close_keys")
	return w.conn.Close()
}

func stageName(table string) string { return "temp.main.stage_" + table }

// knownVersions loads the open versions of a table once per run.
func (w *Writer) knownVersions(ctx context.Context, table string) (*knownTable, error) {
	if k, ok := w.known[table]; ok {
		return k, nil
	}
	k := &knownTable{open: map[string]openVersion{}, seen: map[string]struct{}{}}
	rows, err := w.conn.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s, %s FROM %s.%s WHERE %s IS NULL`,
		ColKey, ColHash, ColPartition, HistorySchema, table, ColValidTo))
	if err != nil {
		return nil, fmt.Errorf("read open versions of %s: %w", table, err)
	}
	defer rows.Close()
	partitions := map[string]string{}
	for rows.Next() {
		var key, partition string
		var hash uint64
		if err := rows.Scan(&key, &hash, &partition); err != nil {
			return nil, fmt.Errorf("read open versions of %s: %w", table, err)
		}
		// Share one string per partition among its many keys.
		if p, ok := partitions[partition]; ok {
			partition = p
		} else {
			partitions[partition] = partition
		}
		k.open[key] = openVersion{hash: hash, partition: partition}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read open versions of %s: %w", table, err)
	}
	w.known[table] = k
	return k, nil
}

func (w *Writer) ensureStage(ctx context.Context, sc Schema) error {
	if w.staged[sc.Name] {
		return nil
	}
	// JSON columns are staged as text: the appender would re-encode every
	// document in Go, while the insert into history casts the text in
	// DuckDB, which validates it far faster.
	defs := make([]string, 0, len(sc.Columns)+3)
	for _, c := range sc.Columns {
		typ := c.Type
		if typ == TypeJSON {
			typ = TypeText
		}
		defs = append(defs, c.Name+" "+typ)
	}
	defs = append(defs, ColKey+" VARCHAR", ColHash+" UBIGINT", ColPartition+" VARCHAR")
	stmt := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE stage_%s (%s)`, sc.Name, strings.Join(defs, ", "))
	if _, err := w.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create staging table for %s: %w", sc.Name, err)
	}
	w.staged[sc.Name] = true
	return nil
}

// Append stages the rows of one completed partition. Rows of a partition
// that failed must never be appended: the merge treats every staged
// partition as the whole truth about that partition.
func (w *Writer) Append(ctx context.Context, sc Schema, partition string, rows []Row) error {
	if err := w.ensureStage(ctx, sc); err != nil {
		return err
	}
	k, err := w.knownVersions(ctx, sc.Name)
	if err != nil {
		return err
	}
	// Keep the rows that differ from their open version, or have none: an
	// unchanged resource costs a map lookup and nothing else.
	changed := rows[:0:0]
	for _, r := range rows {
		if _, dup := k.seen[r.Key]; dup {
			continue
		}
		k.seen[r.Key] = struct{}{}
		if v, ok := k.open[r.Key]; ok {
			if v.hash == r.Hash {
				continue
			}
			k.changed = append(k.changed, r.Key)
		}
		changed = append(changed, r)
	}
	rows = changed
	if len(rows) == 0 {
		return nil
	}
	return w.conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("stage rows of %s: unexpected driver connection %T", sc.Name, dc)
		}
		appender, err := duckdb.NewAppender(conn, "temp", "main", "stage_"+sc.Name)
		if err != nil {
			return fmt.Errorf("stage rows of %s: %w", sc.Name, err)
		}
		args := make([]driver.Value, len(sc.Columns)+3)
		for _, r := range rows {
			if len(r.Values) != len(sc.Columns) {
				appender.Close()
				return fmt.Errorf("stage row %s of %s: got %d values for %d columns", r.Key, sc.Name, len(r.Values), len(sc.Columns))
			}
			for i, v := range r.Values {
				if doc, ok := v.(json.RawMessage); ok {
					v = string(doc)
				}
				args[i] = v
			}
			args[len(sc.Columns)] = r.Key
			args[len(sc.Columns)+1] = r.Hash
			args[len(sc.Columns)+2] = partition
			if err := appender.AppendRow(args...); err != nil {
				appender.Close()
				return fmt.Errorf("stage row %s of %s: %w", r.Key, sc.Name, err)
			}
		}
		if err := appender.Close(); err != nil {
			return fmt.Errorf("stage rows of %s: %w", sc.Name, err)
		}
		return nil
	})
}

// Merge writes the staged rows of a table into its history in one
// transaction. completed lists every partition whose fetch completed, those
// without rows included: an open version in a completed partition that the
// stage lacks is closed as deleted, and partitions not listed are left
// exactly as they were. A row whose hash equals its open version costs
// nothing; a changed row closes the old version and opens a new one.
func (w *Writer) Merge(ctx context.Context, sc Schema, completed []string) (MergeStats, error) {
	var stats MergeStats
	if len(completed) == 0 {
		return stats, nil
	}
	if err := w.ensureStage(ctx, sc); err != nil {
		return stats, err
	}
	history := HistorySchema + "." + sc.Name
	stage := stageName(sc.Name)

	// Close the open versions that changed, and those of completed
	// partitions that the run did not see: deleted resources.
	k, err := w.knownVersions(ctx, sc.Name)
	if err != nil {
		return stats, err
	}
	done := make(map[string]bool, len(completed))
	for _, p := range completed {
		done[p] = true
	}
	closing := append([]string(nil), k.changed...)
	for key, v := range k.open {
		if _, seen := k.seen[key]; !seen && done[v.partition] {
			closing = append(closing, key)
		}
	}
	if err := w.stageCloseKeys(ctx, closing); err != nil {
		return stats, fmt.Errorf("merge %s: stage versions to close: %w", sc.Name, err)
	}

	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("merge %s: %w", sc.Name, err)
	}
	defer tx.Rollback()

	if len(closing) > 0 {
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s IS NULL AND %s IN (SELECT k FROM temp.main.stance_close_keys)`,
			history, ColValidTo, ColValidTo, ColKey), w.syncTime)
		if err != nil {
			return stats, fmt.Errorf("merge %s: close changed versions: %w", sc.Name, err)
		}
		stats.VersionsClosed, _ = res.RowsAffected()
	}

	// Open a version for every staged row: new resources and the changed
	// ones closed above. Append stages each key once per run, so the stage
	// needs no de-duplication and holds no key with an open version left.
	insertStmt := fmt.Sprintf(`INSERT INTO %[1]s BY NAME
		SELECT s.*, ?::TIMESTAMPTZ AS %[2]s, NULL::TIMESTAMPTZ AS %[3]s, ?::BIGINT AS %[4]s
		FROM %[5]s s`,
		history, ColValidFrom, ColValidTo, ColRunID, stage)
	res, err := tx.ExecContext(ctx, insertStmt, w.syncTime, w.runID)
	if err != nil {
		return stats, fmt.Errorf("merge %s: add new versions: %w", sc.Name, err)
	}
	stats.VersionsAdded, _ = res.RowsAffected()

	if _, err := tx.ExecContext(ctx, "DELETE FROM "+stage); err != nil {
		return stats, fmt.Errorf("merge %s: clear staging table: %w", sc.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("merge %s: commit: %w", sc.Name, err)
	}
	return stats, nil
}

// stageCloseKeys fills a temporary table with the keys whose open
// versions the merge closes: an IN list of a million literals would not do.
func (w *Writer) stageCloseKeys(ctx context.Context, keys []string) error {
	if _, err := w.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE stance_close_keys (k VARCHAR)`); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	return w.conn.Raw(func(dc any) error {
		appender, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "stance_close_keys")
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
}
