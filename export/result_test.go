package export

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/stance-cspm/stance/internal/store"
)

// typesQuery returns one row of every DuckDB type that a query can
// return, and a row of NULLs.
const typesQuery = `SELECT * FROM (VALUES
	(true, 1::TINYINT, 2::SMALLINT, 3::INTEGER, 4::BIGINT, 5::UTINYINT, 6::USMALLINT, 7::UINTEGER, 8::UBIGINT,
	 1.5::FLOAT, 2.25::DOUBLE, 123.45::DECIMAL(10,2),
	 TIMESTAMPTZ '2026-03-01 12:34:56.789012+00', TIMESTAMP '2026-03-01 01:02:03', DATE '2026-03-01', TIME '13:14:15.5',
	 INTERVAL '1 month 2 days 3 seconds', 'text', '\x00\x01'::BLOB, ['a', 'b', NULL], [1, 2]::INTEGER[2],
	 {'n': 1, 'name': 'x', 'inner': {'flag': true}}, MAP {'k1': 'v1', 'k2': 'v2'}, '{"a":[1,2]}'::JSON,
	 '0aa7b8a2-27a5-4c2b-bd0c-7e2f5f3b1e01'::UUID, 170141183460469231731687303715884105727::HUGEINT),
	(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(b, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, dec, tstz, ts, d, tm, iv, s, bl, l, arr, st, m, j, u, h)`

func memoryDB(t *testing.T) *sql.DB {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	db := st.DB()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return db
}

func writeResult(t *testing.T, db *sql.DB, query, format string) []byte {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	n, err := WriteResult(rows, format, &buf)
	if err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	if n != 2 {
		t.Errorf("wrote %d rows, want 2", n)
	}
	return buf.Bytes()
}

func TestResultParquetReadsBack(t *testing.T) {
	db := memoryDB(t)
	path := filepath.Join(t.TempDir(), "result.parquet")
	if err := os.WriteFile(path, writeResult(t, db, typesQuery, FormatParquet), 0o600); err != nil {
		t.Fatal(err)
	}
	read := fmt.Sprintf("SELECT * FROM read_parquet(%s)", quoteText(path))
	_, gotTypes := describe(t, db, read)
	names, sourceTypes := describe(t, db, typesQuery)
	// Types without a Parquet or Arrow counterpart come back as text, and
	// unsigned and fixed-size types come back as what Parquet stores.
	want := map[string]string{"j": "VARCHAR", "u": "VARCHAR", "h": "VARCHAR", "arr": "INTEGER[]", "iv": "VARCHAR"}
	for i, name := range names {
		expected := sourceTypes[i]
		if w, ok := want[name]; ok {
			expected = w
		}
		if gotTypes[i] != expected {
			t.Errorf("column %s reads back as %s, want %s", name, gotTypes[i], expected)
		}
	}
	// Compare values as DuckDB reads them, with the text columns cast
	// back to their source types.
	back := fmt.Sprintf(`SELECT * REPLACE (j::JSON AS j, u::UUID AS u, h::HUGEINT AS h, arr::INTEGER[2] AS arr, iv::INTERVAL AS iv) FROM (%s)`, read)
	for _, q := range []string{
		fmt.Sprintf("SELECT count(*) FROM ((%s) EXCEPT ALL (%s))", back, typesQuery),
		fmt.Sprintf("SELECT count(*) FROM ((%s) EXCEPT ALL (%s))", typesQuery, back),
	} {
		if n := queryInt(t, db, q); n != 0 {
			t.Errorf("%d rows differ between the source and the Parquet file: %s", n, q)
		}
	}
}

func TestResultArrowStream(t *testing.T) {
	db := memoryDB(t)
	data := writeResult(t, db, typesQuery, FormatArrowStream)
	r, err := ipc.NewReader(bytes.NewReader(data), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		t.Fatalf("read Arrow stream: %v", err)
	}
	defer r.Release()
	checkArrowTypes(t, r.Schema())
	rows := 0
	for r.Next() {
		rec := r.RecordBatch()
		rows += int(rec.NumRows())
		col := func(name string) arrow.Array {
			idx := rec.Schema().FieldIndices(name)
			if len(idx) != 1 {
				t.Fatalf("no column %s", name)
			}
			return rec.Column(idx[0])
		}
		checks := map[string]string{
			"tstz": "2026-03-01T12:34:56.789012Z",
			"dec":  "123.45",
			"j":    `{"a":[1,2]}`,
			"u":    "0aa7b8a2-27a5-4c2b-bd0c-7e2f5f3b1e01",
			"h":    "170141183460469231731687303715884105727",
			"s":    "text",
		}
		for name, want := range checks {
			if got := col(name).ValueStr(0); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
			if !col(name).IsNull(1) {
				t.Errorf("%s in the NULL row is %q, want NULL", name, col(name).ValueStr(1))
			}
		}
		if got := col("m").ValueStr(0); !strings.Contains(got, "k1") || !strings.Contains(got, "v2") {
			t.Errorf("map = %s, want k1 and v2 in it", got)
		}
		if got := col("st").ValueStr(0); !strings.Contains(got, `"flag":true`) {
			t.Errorf("struct = %s, want the nested flag", got)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 2 {
		t.Errorf("read %d rows, want 2", rows)
	}
}

func TestResultArrowFile(t *testing.T) {
	db := memoryDB(t)
	data := writeResult(t, db, typesQuery, FormatArrowFile)
	r, err := ipc.NewFileReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read Arrow file: %v", err)
	}
	defer r.Close()
	checkArrowTypes(t, r.Schema())
	if r.NumRecords() != 1 {
		t.Errorf("file holds %d batches, want 1", r.NumRecords())
	}
}

func checkArrowTypes(t *testing.T, schema *arrow.Schema) {
	t.Helper()
	want := map[string]string{
		"b":    "bool",
		"i8":   "int8",
		"u64":  "uint64",
		"f32":  "float32",
		"dec":  "decimal(10, 2)",
		"tstz": "timestamp[us, tz=UTC]",
		"ts":   "timestamp[us]",
		"d":    "date32",
		"tm":   "time64[us]",
		"iv":   "month_day_nano_interval",
		"bl":   "binary",
		"l":    "list<utf8>",
		"arr":  "fixed_size_list<int32,2>",
		"st":   "struct<n:int32,name:utf8,inner:struct<flag:bool>>",
		"m":    "map<utf8,utf8>",
		"j":    "utf8",
	}
	for name, typ := range want {
		idx := schema.FieldIndices(name)
		if len(idx) != 1 {
			t.Errorf("no column %s", name)
			continue
		}
		if got := typeSignature(schema.Field(idx[0]).Type); got != typ {
			t.Errorf("column %s has Arrow type %s, want %s", name, got, typ)
		}
	}
	j := schema.Field(schema.FieldIndices("j")[0])
	if v, ok := j.Metadata.GetValue(MetadataType); !ok || v != "JSON" {
		t.Errorf("JSON column metadata %v, want %s=JSON", j.Metadata, MetadataType)
	}
}

func TestWriteResultRejectsUnknownFormat(t *testing.T) {
	db := memoryDB(t)
	rows, err := db.Query("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	_, err = WriteResult(rows, "feather", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `invalid result format "feather"`) {
		t.Errorf("error %v, want one naming the format", err)
	}
}

func TestResultManyBatches(t *testing.T) {
	db := memoryDB(t)
	rows, err := db.Query(fmt.Sprintf("SELECT i, 'row ' || i AS label FROM range(%d) r(i)", BatchRows*2+5))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	n, err := WriteResult(rows, FormatArrowStream, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != BatchRows*2+5 {
		t.Errorf("wrote %d rows, want %d", n, BatchRows*2+5)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	batches, total := 0, int64(0)
	for r.Next() {
		batches++
		total += r.RecordBatch().NumRows()
	}
	if batches != 3 || total != n {
		t.Errorf("read %d batches of %d rows in all, want 3 batches of %d", batches, total, n)
	}
}

func TestParseDuckType(t *testing.T) {
	tests := []struct {
		in   string
		want *duckType
	}{
		{"VARCHAR", &duckType{Name: "VARCHAR"}},
		{"TIMESTAMP WITH TIME ZONE", &duckType{Name: "TIMESTAMP WITH TIME ZONE"}},
		{"VARCHAR[]", &duckType{Name: "LIST", Elem: &duckType{Name: "VARCHAR"}}},
		{"INTEGER[3][]", &duckType{Name: "LIST", Elem: &duckType{Name: "ARRAY", Size: 3, Elem: &duckType{Name: "INTEGER"}}}},
		{"DECIMAL(18,3)", &duckType{Name: "DECIMAL", Width: 18, Scale: 3}},
		{"MAP(VARCHAR, BIGINT[])", &duckType{Name: "MAP", Key: &duckType{Name: "VARCHAR"}, Value: &duckType{Name: "LIST", Elem: &duckType{Name: "BIGINT"}}}},
		{`STRUCT("a b" INTEGER, "say ""hi""" VARCHAR, c STRUCT(d BOOLEAN))`, &duckType{Name: "STRUCT", Fields: []duckField{
			{Name: "a b", Type: &duckType{Name: "INTEGER"}},
			{Name: `say "hi"`, Type: &duckType{Name: "VARCHAR"}},
			{Name: "c", Type: &duckType{Name: "STRUCT", Fields: []duckField{{Name: "d", Type: &duckType{Name: "BOOLEAN"}}}}},
		}}},
		{"VARCHAR(10)", &duckType{Name: "VARCHAR"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuckType(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parse %q = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDuckTypeMalformed(t *testing.T) {
	for _, in := range []string{"", "MAP(VARCHAR", "INTEGER[x]", `STRUCT("open INTEGER)`, "DECIMAL(a,2)", "VARCHAR) extra"} {
		if _, err := parseDuckType(in); err == nil {
			t.Errorf("parse %q: no error, want one", in)
		}
	}
}
