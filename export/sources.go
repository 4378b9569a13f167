package export

import (
	"context"
	"database/sql"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// writeMode is the way a table's new files join the files of earlier
// exports in the same folder.
type writeMode string

const (
	// writeReplace removes the table's folder before the new files move in.
	writeReplace writeMode = "replace"
	// writePartition removes only the partitions that the export writes.
	writePartition writeMode = "replace_partition"
	// writeAppend adds files next to the earlier ones. Their names carry
	// the export id, so no file is overwritten.
	writeAppend writeMode = "append"
)

// closingTable is the folder of closed versions that incremental exports
// write: one row per version that an earlier export wrote while it was
// current and that a later sync closed.
const closingTable = "stance_version_closing"

// source is one exported table: the query that produces its rows and where
// they go.
type source struct {
	name        string
	provider    string
	description string
	// query selects the exported rows, with the partition columns last.
	// An empty query writes no file.
	query       string
	partitionBy []string
	// fixedDir is set when every row has the same partition values, as in
	// a snapshot. The rows then go into that one partition folder (such as
	// "provider=aws/snapshot_date=2026-03-01") with a plain COPY, which also
	// writes a file with the schema for a table without rows.
	fixedDir string
	write    writeMode
	// clear lists folders, relative to the output folder, that are removed
	// before the new files move in.
	clear []string
	// jsonColumns are the columns holding JSON documents, written as text.
	jsonColumns  map[string]bool
	descriptions map[string]string
	// resource is set for resource tables, whose rows carry _sync_run_id.
	resource bool
	// The sync and check runs that the rows cover: (from, through].
	fromSync, throughSync   int64
	fromCheck, throughCheck int64
}

// watermark is the newest sync and check run in the database when the
// export starts. Rows of later runs cannot exist: a sync or check holds
// the database's write lock, so none runs during a read-only export.
type watermark struct {
	syncRun   int64
	syncTime  time.Time
	checkRun  int64
	syncTimes map[int64]time.Time
}

// latestAt returns the newest sync run at or before at, or 0 when every
// sync run is later.
func (wm watermark) latestAt(at time.Time) int64 {
	var latest int64
	for id, t := range wm.syncTimes {
		if !t.After(at) && id > latest {
			latest = id
		}
	}
	return latest
}

// firstTime returns the time of the earliest sync run.
func (wm watermark) firstTime() time.Time {
	var first time.Time
	for _, t := range wm.syncTimes {
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first
}

// column is one column of a stored table.
type column struct {
	name, dataType string
}

func readWatermark(ctx context.Context, conn *sql.Conn) (watermark, error) {
	wm := watermark{syncTimes: map[int64]time.Time{}}
	rows, err := conn.QueryContext(ctx, `SELECT run_id, sync_time FROM stance_sync_run ORDER BY run_id`)
	if err != nil {
		return wm, fmt.Errorf("read sync runs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, &t); err != nil {
			return wm, fmt.Errorf("read sync runs: %w", err)
		}
		wm.syncTimes[id] = t.UTC()
		wm.syncRun, wm.syncTime = id, t.UTC()
	}
	if err := rows.Err(); err != nil {
		return wm, fmt.Errorf("read sync runs: %w", err)
	}
	ok, err := tableExists(ctx, conn, "main", "stance_check_run")
	if err != nil || !ok {
		return wm, err
	}
	var check sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT max(run_id) FROM stance_check_run`).Scan(&check); err != nil {
		return wm, fmt.Errorf("read check runs: %w", err)
	}
	wm.checkRun = check.Int64
	return wm, nil
}

func tableExists(ctx context.Context, conn *sql.Conn, schema, name string) (bool, error) {
	var n int
	err := conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?`, schema, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up table %s.%s: %w", schema, name, err)
	}
	return n > 0, nil
}

func readColumns(ctx context.Context, conn *sql.Conn, schema, name string) ([]column, error) {
	rows, err := conn.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`, schema, name)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s.%s: %w", schema, name, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.dataType); err != nil {
			return nil, fmt.Errorf("read columns of %s.%s: %w", schema, name, err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// matcher selects tables by comma-separated glob patterns.
type matcher struct {
	patterns []string
	used     map[string]bool
}

func newMatcher(patterns []string) (*matcher, error) {
	m := &matcher{used: map[string]bool{}}
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("invalid --tables pattern %q: %w", p, err)
		}
		m.patterns = append(m.patterns, p)
	}
	return m, nil
}

func (m *matcher) match(name string) bool {
	if len(m.patterns) == 0 {
		return true
	}
	hit := false
	for _, p := range m.patterns {
		if ok, _ := path.Match(p, name); ok {
			m.used[p] = true
			hit = true
		}
	}
	return hit
}

// unused returns the patterns that matched no table.
func (m *matcher) unused() []string {
	var out []string
	for _, p := range m.patterns {
		if !m.used[p] {
			out = append(out, p)
		}
	}
	return out
}

// planner builds the sources of one export.
type planner struct {
	conn *sql.Conn
	opts Options
	mode Mode
	wm   watermark
	// snapshotAt is the moment a snapshot export shows.
	snapshotAt time.Time
	// last holds what earlier exports into the same folder covered, per
	// table; used by --since-last.
	last map[string]tableState
}

func (p *planner) plan(ctx context.Context) ([]source, error) {
	m, err := newMatcher(p.opts.Tables)
	if err != nil {
		return nil, err
	}
	var sources []source

	rows, err := p.conn.QueryContext(ctx, `SELECT t.table_name, coalesce(d.description, '')
		FROM information_schema.tables t LEFT JOIN stance_table d USING (table_name)
		WHERE t.table_schema = ? ORDER BY t.table_name`, store.HistorySchema)
	if err != nil {
		return nil, fmt.Errorf("list resource tables: %w", err)
	}
	type named struct{ name, description string }
	var resources []named
	for rows.Next() {
		var n named
		if err := rows.Scan(&n.name, &n.description); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list resource tables: %w", err)
		}
		resources = append(resources, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list resource tables: %w", err)
	}
	var exportedResources []string
	for _, r := range resources {
		if !m.match(r.name) {
			continue
		}
		s, err := p.resourceSource(ctx, r.name, r.description)
		if err != nil {
			return nil, err
		}
		sources = append(sources, s)
		exportedResources = append(exportedResources, r.name)
	}
	if p.mode != ModeSnapshot && len(exportedResources) > 0 {
		s, err := p.closingSource(exportedResources)
		if err != nil {
			return nil, err
		}
		sources = append(sources, s)
	}

	for _, name := range engineOrder {
		if !m.match(name) {
			continue
		}
		ok, err := tableExists(ctx, p.conn, "main", name)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		s, skip, err := p.engineSource(ctx, name)
		if err != nil {
			return nil, err
		}
		if !skip {
			sources = append(sources, s)
		}
	}

	if unused := m.unused(); len(unused) > 0 {
		return nil, fmt.Errorf("--tables %s matches no table: list the tables with 'stance tables' or 'stance query \"SHOW ALL TABLES\"'", strings.Join(unused, ","))
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("nothing to export: the database has no tables yet; run 'stance sync' first")
	}
	return sources, nil
}

// engineOrder lists stance's own tables in the order they are exported.
var engineOrder = []string{
	"stance_sync_run", "stance_sync_partition",
	"stance_check_run", "stance_check_control", "stance_check_result", "stance_finding",
	"stance_control", "stance_control_mapping", "stance_suppression",
}

// selectList returns the column list of a query over cols, with JSON
// documents cast to text so that every Parquet reader gets a string.
func selectList(cols []column, skip map[string]bool, alias string) (string, map[string]bool) {
	var parts []string
	jsonCols := map[string]bool{}
	for _, c := range cols {
		if skip[c.name] {
			continue
		}
		ref := quoteIdent(c.name)
		if alias != "" {
			ref = alias + "." + ref
		}
		if strings.EqualFold(c.dataType, "JSON") {
			jsonCols[c.name] = true
			parts = append(parts, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", ref, quoteIdent(c.name)))
			continue
		}
		parts = append(parts, ref)
	}
	return strings.Join(parts, ", "), jsonCols
}

func (p *planner) resourceSource(ctx context.Context, name, description string) (source, error) {
	cols, err := readColumns(ctx, p.conn, store.HistorySchema, name)
	if err != nil {
		return source{}, err
	}
	// The hash and partition are the store's bookkeeping, not data.
	skip := map[string]bool{store.ColHash: true, store.ColPartition: true}
	list, jsonCols := selectList(cols, skip, "")
	provider := providerOf(name)
	s := source{
		name:         name,
		provider:     provider,
		description:  description,
		jsonColumns:  jsonCols,
		descriptions: map[string]string{},
		resource:     true,
		throughSync:  p.wm.syncRun,
	}
	drows, err := p.conn.QueryContext(ctx, `SELECT column_name, coalesce(description, '') FROM stance_column WHERE table_name = ?`, name)
	if err != nil {
		return s, fmt.Errorf("read column descriptions of %s: %w", name, err)
	}
	for drows.Next() {
		var c, d string
		if err := drows.Scan(&c, &d); err != nil {
			drows.Close()
			return s, fmt.Errorf("read column descriptions of %s: %w", name, err)
		}
		s.descriptions[c] = d
	}
	drows.Close()

	history := store.HistorySchema + "." + name
	providerCol := fmt.Sprintf("%s AS provider", quoteText(provider))
	switch p.mode {
	case ModeSnapshot:
		var filter string
		if p.opts.At.IsZero() {
			filter = store.ColValidTo + " IS NULL"
		} else {
			at := timestampLiteral(p.snapshotAt)
			filter = fmt.Sprintf("%s <= %s AND (%s IS NULL OR %s > %s)", store.ColValidFrom, at, store.ColValidTo, store.ColValidTo, at)
		}
		s.query = fmt.Sprintf("SELECT %s, %s, DATE %s AS snapshot_date FROM %s WHERE %s",
			list, providerCol, quoteText(p.snapshotAt.UTC().Format(time.DateOnly)), history, filter)
		s.partitionBy = []string{"provider", "snapshot_date"}
		s.fixedDir = path.Join("provider="+provider, "snapshot_date="+p.snapshotAt.UTC().Format(time.DateOnly))
		s.write = writePartition
		s.clear = []string{path.Join(name, s.fixedDir)}
	case ModeHistory, ModeSinceLast:
		from := int64(0)
		s.write = writeReplace
		s.clear = []string{name}
		if p.mode == ModeSinceLast {
			from = p.last[name].throughSync
			s.write = writeAppend
			s.clear = nil
		}
		s.fromSync = from
		s.query = fmt.Sprintf("SELECT %s, %s, CAST(timezone('UTC', %s) AS DATE) AS sync_date FROM %s WHERE %s > %d AND %s <= %d",
			list, providerCol, store.ColValidFrom, history, store.ColRunID, from, store.ColRunID, p.wm.syncRun)
		s.partitionBy = []string{"provider", "sync_date"}
	}
	return s, nil
}

// closingSource selects, for an incremental export, the versions that an
// earlier export wrote while they were open and that a sync closed since:
// those with _sync_run_id at or below the earlier export's watermark and
// _valid_to after its sync time. A version opened and closed within one
// export's window carries its _valid_to in the version file instead, so
// every closing reaches the reader exactly once; TestSinceLastTwice checks
// this against the stored history.
func (p *planner) closingSource(resources []string) (source, error) {
	s := source{
		name:         closingTable,
		description:  engineTables[closingTable].description,
		descriptions: engineTables[closingTable].columns,
		partitionBy:  []string{"table_name"},
		throughSync:  p.wm.syncRun,
	}
	if p.mode == ModeHistory {
		// A full export carries every _valid_to in the version files, so
		// the closings of earlier incremental exports are dropped.
		for _, name := range resources {
			s.clear = append(s.clear, path.Join(closingTable, "table_name="+name))
		}
		s.write = writeReplace
		return s, nil
	}
	s.write = writeAppend
	var parts []string
	for _, name := range resources {
		last := p.last[name].throughSync
		if last == 0 {
			continue
		}
		lastTime, ok := p.wm.syncTimes[last]
		if !ok {
			return s, fmt.Errorf("the previous export of %s covered sync run %d, which is not in this database: export into a new folder", name, last)
		}
		parts = append(parts, fmt.Sprintf(`SELECT %[1]s, %[2]s, %[3]s, %[4]s AS table_name FROM %[5]s.%[6]s
			WHERE %[7]s <= %[8]d AND %[3]s > %[9]s AND %[3]s <= %[10]s`,
			store.ColKey, store.ColValidFrom, store.ColValidTo, quoteText(name), store.HistorySchema, name,
			store.ColRunID, last, timestampLiteral(lastTime), timestampLiteral(p.wm.syncTime)))
	}
	// With no earlier export there is nothing to close, and the source
	// keeps an empty query: it writes no file.
	if len(parts) == 0 {
		return s, nil
	}
	s.query = strings.Join(parts, "\nUNION ALL\n")
	return s, nil
}

// engineSource returns the source of one of stance's own tables. skip is
// set when the table has no meaning in this export: findings, which keep
// only their present state, are left out of a snapshot of a past moment.
func (p *planner) engineSource(ctx context.Context, name string) (s source, skip bool, err error) {
	cols, err := readColumns(ctx, p.conn, "main", name)
	if err != nil {
		return s, false, err
	}
	list, jsonCols := selectList(cols, nil, "t")
	info := engineTables[name]
	s = source{
		name:         name,
		description:  info.description,
		jsonColumns:  jsonCols,
		descriptions: info.columns,
		write:        writeReplace,
		clear:        []string{name},
	}

	past := p.mode == ModeSnapshot && !p.opts.At.IsZero()
	at := timestampLiteral(p.snapshotAt)
	where := "true"
	extra := ""
	switch name {
	case "stance_sync_run", "stance_sync_partition":
		// The provider column itself is the partition column.
		s.partitionBy = []string{"provider"}
		from := int64(0)
		if p.mode == ModeSinceLast {
			from = p.last[name].throughSync
			s.write, s.clear = writeAppend, nil
		}
		s.fromSync, s.throughSync = from, p.wm.syncRun
		where = fmt.Sprintf("t.run_id > %d AND t.run_id <= %d", from, p.wm.syncRun)
		if past {
			where += fmt.Sprintf(" AND t.run_id IN (SELECT run_id FROM stance_sync_run WHERE sync_time <= %s)", at)
		}
	case "stance_check_run", "stance_check_control", "stance_check_result":
		from := int64(0)
		if p.mode == ModeSinceLast {
			from = p.last[name].throughCheck
			s.write, s.clear = writeAppend, nil
		}
		s.fromCheck, s.throughCheck = from, p.wm.checkRun
		where = fmt.Sprintf("t.run_id > %d AND t.run_id <= %d", from, p.wm.checkRun)
		if past {
			where += fmt.Sprintf(" AND t.run_id IN (SELECT run_id FROM stance_check_run WHERE started_at <= %s)", at)
		}
		if name == "stance_check_result" {
			extra = ", split_part(t.control_id, '_', 1) AS provider, CAST(timezone('UTC', t.evaluated_at) AS DATE) AS evaluated_date"
			s.partitionBy = []string{"provider", "evaluated_date"}
		}
	case "stance_finding":
		if past {
			return s, true, nil
		}
		extra = ", split_part(t.control_id, '_', 1) AS provider"
		s.partitionBy = []string{"provider"}
		s.throughCheck = p.wm.checkRun
	case "stance_suppression":
		if past {
			where = "t.created_at <= " + at
		}
	}

	s.query = fmt.Sprintf("SELECT %s%s FROM %s t WHERE %s", list, extra, name, where)
	return s, false, nil
}

// providerOf returns the provider of a resource table, the prefix of its
// name: every table name is <provider>_<service>_<resource>.
func providerOf(table string) string {
	provider, _, _ := strings.Cut(table, "_")
	return provider
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func quoteText(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func timestampLiteral(t time.Time) string {
	return "TIMESTAMPTZ " + quoteText(t.UTC().Format("2006-01-02 15:04:05.999999Z07:00"))
}
