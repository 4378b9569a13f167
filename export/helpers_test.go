package export

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	awsgen "github.com/stance-cspm/stance/internal/synthetic/aws"
	stancesync "github.com/stance-cspm/stance/sync"
)

// fixture is a database holding a small synthetic AWS estate with one CIS
// check run, and a synthetic estate that tests sync again after changes.
type fixture struct {
	db    string
	world *synthetic.World
	clock time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{
		db:    filepath.Join(t.TempDir(), "stance.duckdb"),
		clock: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
	st, err := store.Open(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := awsgen.Generate(ctx, st, awsgen.Config{Resources: 3000, Accounts: 2, Regions: 2, Now: f.clock}); err != nil {
		t.Fatalf("generate AWS estate: %v", err)
	}
	pack, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	bench, err := pack.Benchmark("cis_aws@6.0.0")
	if err != nil {
		t.Fatal(err)
	}
	opts := benchmarks.Options{Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return f.clock }}
	if _, err := benchmarks.Execute(ctx, st, pack, bench, nil, benchmarks.Filters{}, opts); err != nil {
		t.Fatalf("run CIS check: %v", err)
	}
	synthetic.Register()
	f.world, err = synthetic.New(synthetic.Config{Seed: 7, Accounts: 2, Regions: 2, Tables: 2, Rows: 800})
	if err != nil {
		t.Fatal(err)
	}
	f.syncWorld(t, st)
	return f
}

// sync changes the synthetic estate with change and syncs it again.
func (f *fixture) sync(t *testing.T, change func(w *synthetic.World)) *stancesync.Result {
	t.Helper()
	st, err := store.Open(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	change(f.world)
	return f.syncWorld(t, st)
}

func (f *fixture) syncWorld(t *testing.T, st *store.Store) *stancesync.Result {
	t.Helper()
	f.clock = f.clock.Add(time.Hour)
	res, err := stancesync.Run(context.Background(), st, synthetic.Provider{World: f.world}, stancesync.Options{
		Tables: f.world.Tables(),
		Now:    func() time.Time { return f.clock },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("sync synthetic estate: %v", err)
	}
	if res.Summary.Status != store.RunOK {
		t.Fatalf("sync status %q (%s), want ok", res.Summary.Status, res.Summary.Error)
	}
	return res
}

func (f *fixture) export(t *testing.T, opts Options) *Manifest {
	t.Helper()
	opts.Logger = slog.New(slog.DiscardHandler)
	if opts.Now == nil {
		opts.Now = func() time.Time { return f.clock.Add(time.Minute) }
	}
	m, err := Run(context.Background(), f.db, opts)
	if err != nil {
		t.Fatalf("export %+v: %v", opts, err)
	}
	return m
}

// readOnly opens the fixture's database for the checks.
func (f *fixture) readOnly(t *testing.T) *sql.DB {
	t.Helper()
	st, err := store.OpenReadOnly(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := st.DB()
	// One connection keeps the time zone setting for every query.
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func table(t *testing.T, m *Manifest, name string) TableSummary {
	t.Helper()
	for _, ts := range m.Tables {
		if ts.Name == name {
			return ts
		}
	}
	t.Fatalf("manifest has no table %s", name)
	return TableSummary{}
}

// filesGlob returns the DuckDB list literal of a table's files in the
// output folder.
func filesList(out string, files []string) string {
	quoted := make([]string, len(files))
	for i, f := range files {
		quoted[i] = quoteText(filepath.Join(out, filepath.FromSlash(f)))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// describe returns the column names and types of a query, in order.
func describe(t *testing.T, db *sql.DB, query string) (names, types []string) {
	t.Helper()
	rows, err := db.Query("DESCRIBE " + query)
	if err != nil {
		t.Fatalf("describe %s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		var a, b, c, d sql.NullString
		if err := rows.Scan(&name, &typ, &a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
		types = append(types, typ)
	}
	return names, types
}

// compareWithDuckDB reads the files of one exported table back with
// DuckDB's read_parquet, Hive partitions included, and checks that they
// hold exactly the rows of expected with exactly its column types.
func compareWithDuckDB(t *testing.T, db *sql.DB, out string, ts TableSummary, expected string) {
	t.Helper()
	if len(ts.Files) == 0 {
		if n := queryInt(t, db, "SELECT count(*) FROM ("+expected+")"); n != 0 {
			t.Errorf("%s: no file written, but the source has %d rows", ts.Name, n)
		}
		return
	}
	read := fmt.Sprintf("SELECT * FROM read_parquet(%s, hive_partitioning = true)", filesList(out, ts.Files))
	wantNames, wantTypes := describe(t, db, expected)
	gotNames, gotTypes := describe(t, db, read)
	got := map[string]string{}
	for i, n := range gotNames {
		got[n] = gotTypes[i]
	}
	if len(gotNames) != len(wantNames) {
		t.Errorf("%s: read back columns %v, want %v", ts.Name, gotNames, wantNames)
	}
	for i, n := range wantNames {
		if got[n] != wantTypes[i] {
			t.Errorf("%s.%s: read back as %q, source type %q", ts.Name, n, got[n], wantTypes[i])
		}
	}
	cols := make([]string, len(wantNames))
	for i, n := range wantNames {
		cols[i] = quoteIdent(n)
	}
	list := strings.Join(cols, ", ")
	readBack := fmt.Sprintf("SELECT %s FROM (%s)", list, read)
	source := fmt.Sprintf("SELECT %s FROM (%s)", list, expected)
	if n := queryInt(t, db, "SELECT count(*) FROM ("+readBack+")"); n != ts.Rows {
		t.Errorf("%s: %d rows read back, manifest says %d", ts.Name, n, ts.Rows)
	}
	if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM (%s EXCEPT ALL %s)", readBack, source)); n != 0 {
		t.Errorf("%s: %d rows read back are not in the source", ts.Name, n)
	}
	if n := queryInt(t, db, fmt.Sprintf("SELECT count(*) FROM (%s EXCEPT ALL %s)", source, readBack)); n != 0 {
		t.Errorf("%s: %d source rows are missing from the files", ts.Name, n)
	}
}

// compareWithArrow reads every file of one exported table with arrow-go's
// Parquet reader and checks each column's Arrow type and every row
// against the source query, converted to Arrow by this package.
func compareWithArrow(t *testing.T, db *sql.DB, out string, ts TableSummary, expected string) {
	t.Helper()
	if len(ts.Files) == 0 {
		return
	}
	var fileCols []string
	partition := map[string]bool{}
	for _, c := range ts.PartitionBy {
		partition[c] = true
	}
	for _, c := range ts.Columns {
		if !partition[c.Name] {
			fileCols = append(fileCols, c.Name)
		}
	}
	var got []string
	for _, f := range ts.Files {
		rows, schema := readParquetRows(t, filepath.Join(out, filepath.FromSlash(f)), fileCols)
		got = append(got, rows...)
		wantSchema := sourceSchema(t, db, expected, fileCols)
		for i, field := range wantSchema.Fields() {
			gotField := schema.Field(i)
			if typeSignature(gotField.Type) != typeSignature(field.Type) {
				t.Errorf("%s.%s: arrow-go reads %s, source is %s", ts.Name, field.Name, gotField.Type, field.Type)
			}
		}
	}
	want := sourceRows(t, db, expected, fileCols)
	sort.Strings(got)
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("%s: arrow-go reads %d rows, the source has %d", ts.Name, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: row differs:\n got %s\nwant %s", ts.Name, got[i], want[i])
			return
		}
	}
}

// readParquetRows returns every row of a Parquet file as text, columns in
// the order of cols, and the file's Arrow schema in that order.
func readParquetRows(t *testing.T, path string, cols []string) ([]string, *arrow.Schema) {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer tbl.Release()
	var fields []arrow.Field
	var columns []*arrow.Column
	for _, name := range cols {
		idx := tbl.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("%s: column %s found %d times, want once", path, name, len(idx))
		}
		fields = append(fields, tbl.Schema().Field(idx[0]))
		columns = append(columns, tbl.Column(idx[0]))
	}
	rows := make([]string, tbl.NumRows())
	for _, col := range columns {
		i := 0
		for _, chunk := range col.Data().Chunks() {
			for j := 0; j < chunk.Len(); j++ {
				rows[i] += cellText(chunk, j) + "\x1f"
				i++
			}
		}
	}
	return rows, arrow.NewSchema(fields, nil)
}

// sourceSchema returns the Arrow schema of the source query's columns cols.
func sourceSchema(t *testing.T, db *sql.DB, expected string, cols []string) *arrow.Schema {
	t.Helper()
	rows, err := db.Query(selectColumns(expected, cols) + " LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b, err := newRowBatcher(rows, memory.DefaultAllocator, false)
	if err != nil {
		t.Fatal(err)
	}
	return b.schema
}

// sourceRows returns the source query's rows as text, converted through
// this package's Arrow builders.
func sourceRows(t *testing.T, db *sql.DB, expected string, cols []string) []string {
	t.Helper()
	rows, err := db.Query(selectColumns(expected, cols))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b, err := newRowBatcher(rows, memory.DefaultAllocator, false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for {
		batch, err := b.Next()
		if err != nil {
			t.Fatal(err)
		}
		if batch == nil {
			return out
		}
		texts := make([]string, batch.NumRows())
		for c := 0; c < int(batch.NumCols()); c++ {
			for i := range texts {
				texts[i] += cellText(batch.Column(c), i) + "\x1f"
			}
		}
		out = append(out, texts...)
		batch.Release()
	}
}

func selectColumns(query string, cols []string) string {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	return fmt.Sprintf("SELECT %s FROM (%s)", strings.Join(quoted, ", "), query)
}

func cellText(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	return a.ValueStr(i)
}

// typeSignature spells an Arrow type without the names of list elements
// and map entries, which differ between writers but not in meaning.
func typeSignature(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.MapType:
		return "map<" + typeSignature(t.KeyType()) + "," + typeSignature(t.ItemType()) + ">"
	case *arrow.ListType:
		return "list<" + typeSignature(t.Elem()) + ">"
	case *arrow.LargeListType:
		return "list<" + typeSignature(t.Elem()) + ">"
	case *arrow.FixedSizeListType:
		return fmt.Sprintf("fixed_size_list<%s,%d>", typeSignature(t.Elem()), t.Len())
	case *arrow.StructType:
		parts := make([]string, len(t.Fields()))
		for i, f := range t.Fields() {
			parts[i] = f.Name + ":" + typeSignature(f.Type)
		}
		return "struct<" + strings.Join(parts, ",") + ">"
	case *arrow.LargeStringType:
		return "utf8"
	}
	return dt.String()
}

// listFiles returns every file under dir, relative to dir.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
