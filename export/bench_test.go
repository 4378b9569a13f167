package export

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	awsgen "github.com/stance-cspm/stance/internal/synthetic/aws"
)

// benchRowsVariable sets the size of the export benchmark's estate.
const benchRowsVariable = "STANCE_BENCH_ROWS"

// BenchmarkExport generates a synthetic AWS estate of STANCE_BENCH_ROWS
// resources (default 1,000,000) into a database file. It then times a
// snapshot export of every aws_* table against DuckDB's own COPY of the
// same rows into one plain ZSTD Parquet file per table, both from the
// database opened read-only. Run it with -benchtime=1x.
func BenchmarkExport(b *testing.B) {
	resources := 1_000_000
	if text := os.Getenv(benchRowsVariable); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n <= 0 {
			b.Fatalf("invalid %s=%q: want a positive number of rows", benchRowsVariable, text)
		}
		resources = n
	}
	ctx := context.Background()
	dir := b.TempDir()
	db := filepath.Join(dir, "estate.duckdb")
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	estate, err := awsgen.Generate(ctx, st, awsgen.Config{Resources: resources})
	st.Close()
	if err != nil {
		b.Fatalf("generate estate: %v", err)
	}
	tables := make([]string, 0, len(estate.Rows))
	for name := range estate.Rows {
		tables = append(tables, name)
	}

	// One untimed COPY warms the page cache for both contenders.
	if _, err := copyBaseline(ctx, db, tables, filepath.Join(dir, "warm")); err != nil {
		b.Fatal(err)
	}

	var exportCost, copyCost synthetic.Measurement
	var rows int64
	b.ResetTimer()
	for i := range b.N {
		out := filepath.Join(dir, fmt.Sprintf("export-%d", i))
		meter := synthetic.StartMeter()
		b.StartTimer()
		m, err := Run(ctx, db, Options{Out: out, Tables: []string{"aws_*"}, Logger: slog.New(slog.DiscardHandler)})
		b.StopTimer()
		cost, merr := meter.Stop()
		if err != nil {
			b.Fatalf("export: %v", err)
		}
		if merr != nil {
			b.Fatal(merr)
		}
		exportCost.Wall += cost.Wall
		exportCost.CPU += cost.CPU
		rows = 0
		for _, ts := range m.Tables {
			rows += ts.Rows
		}
		if rows != estate.Total() {
			b.Fatalf("export wrote %d rows, the estate has %d", rows, estate.Total())
		}

		meter = synthetic.StartMeter()
		copied, err := copyBaseline(ctx, db, tables, filepath.Join(dir, fmt.Sprintf("copy-%d", i)))
		cost, merr = meter.Stop()
		if err != nil {
			b.Fatal(err)
		}
		if merr != nil {
			b.Fatal(merr)
		}
		if copied != rows {
			b.Fatalf("COPY wrote %d rows, the export %d", copied, rows)
		}
		copyCost.Wall += cost.Wall
		copyCost.CPU += cost.CPU
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(rows)/(exportCost.Wall/n).Seconds(), "rows/s")
	b.ReportMetric((exportCost.Wall / n).Seconds(), "export-s")
	b.ReportMetric((copyCost.Wall / n).Seconds(), "copy-s")
	b.ReportMetric((exportCost.CPU / n).Seconds(), "export-cpu-s")
	b.ReportMetric((copyCost.CPU / n).Seconds(), "copy-cpu-s")
	b.ReportMetric(exportCost.Wall.Seconds()/copyCost.Wall.Seconds(), "wall-ratio-to-copy")
	b.ReportMetric(exportCost.CPU.Seconds()/copyCost.CPU.Seconds(), "cpu-ratio-to-copy")
}

// copyBaseline writes the present rows of every table, with the same
// columns as the export, into one Parquet file per table with DuckDB's
// COPY, and returns the number of rows written.
func copyBaseline(ctx context.Context, dbPath string, tables []string, out string) (int64, error) {
	if err := os.MkdirAll(out, 0o700); err != nil {
		return 0, err
	}
	st, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var total int64
	for _, name := range tables {
		stmt := fmt.Sprintf(`COPY (SELECT * EXCLUDE (%s, %s) FROM %s.%s WHERE %s IS NULL) TO %s (FORMAT parquet, COMPRESSION zstd)`,
			store.ColHash, store.ColPartition, store.HistorySchema, name, store.ColValidTo,
			quoteText(filepath.Join(out, name+".parquet")))
		var res sql.Result
		if res, err = st.DB().ExecContext(ctx, stmt); err != nil {
			return 0, fmt.Errorf("COPY %s: %w", name, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
