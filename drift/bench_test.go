package drift

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
)

// benchRowsVariable sets the number of resources of the drift benchmark,
// so that a quick run can use 50000 in place of the default million.
const benchRowsVariable = "STANCE_BENCH_ROWS"

// benchChangeFraction is the share of resources changed between the two
// snapshots that the benchmark compares.
const benchChangeFraction = 0.01

// BenchmarkDrift compares two snapshots of a synthetic estate of
// STANCE_BENCH_ROWS resources (default 1,000,000, over 20 accounts x 4
// regions x 3 tables) between which 1% of the resources changed. Both
// syncs run once, outside the timer. Each iteration runs Changes over the
// synthetic tables and then a plain scan of the same history tables
// (count(*) and sum(hash(COLUMNS(*))) over every row and column, which
// reads all their data once). It reports the time of Changes, its ratio to
// the scan's time, and the peak RSS of Changes.
//
// Run it with -benchtime=1x; more iterations only repeat the same pair.
func BenchmarkDrift(b *testing.B) {
	ctx := context.Background()
	synthetic.Register()
	cfg := synthetic.DefaultConfig()
	cfg.Rows = benchRows(b)
	world, err := synthetic.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "drift.duckdb")
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()

	// Two snapshots, one hour apart, with 1% of the resources changed.
	from := time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	syncSynthetic(b, st, world, from)
	changed := world.Change(benchChangeFraction)
	syncSynthetic(b, st, world, to)

	filter := Filter{Tables: synthetic.TableNames()[:cfg.Tables]}
	scan := scanSQL(world.Tables())
	b.Logf("scan queries: %s", strings.Join(scan, "; "))

	var drift, plain time.Duration
	var peakRSS uint64
	b.ResetTimer()
	b.StopTimer()
	for range b.N {
		meter := synthetic.StartMeter()
		b.StartTimer()
		changes, err := Changes(ctx, st.DB(), from, to, filter)
		b.StopTimer()
		m, merr := meter.Stop()
		if err != nil {
			b.Fatalf("changes: %v", err)
		}
		if merr != nil {
			b.Fatal(merr)
		}
		if len(changes) != changed {
			b.Fatalf("got %d changed resources, want %d", len(changes), changed)
		}
		drift += m.Wall
		peakRSS = max(peakRSS, m.PeakRSS)
		if !m.RSSReset {
			b.Log("peak RSS covers the whole process: resetting VmHWM failed")
		}

		start := time.Now()
		scanned := runScan(b, st, scan)
		plain += time.Since(start)
		if scanned != int64(world.Rows()+changed) {
			b.Fatalf("scan read %d versions, want %d", scanned, world.Rows()+changed)
		}
	}
	b.ReportMetric(drift.Seconds()/float64(b.N), "drift-s")
	b.ReportMetric(plain.Seconds()/float64(b.N), "scan-s")
	b.ReportMetric(drift.Seconds()/plain.Seconds(), "ratio-to-scan")
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(changed), "changed-resources")
}

func benchRows(b *testing.B) int {
	text := os.Getenv(benchRowsVariable)
	if text == "" {
		return 1_000_000
	}
	n, err := strconv.Atoi(text)
	if err != nil || n <= 0 {
		b.Fatalf("invalid %s=%q: want a positive number of rows", benchRowsVariable, text)
	}
	return n
}

// syncSynthetic syncs the whole estate with the sync time now.
func syncSynthetic(b *testing.B, st *store.Store, world *synthetic.World, now time.Time) {
	b.Helper()
	res, err := sync.Run(context.Background(), st, synthetic.Provider{World: world}, sync.Options{
		Tables: world.Tables(),
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatalf("sync at %s: %v", now, err)
	}
	if res.Summary.Status != store.RunOK {
		b.Fatalf("sync at %s: status %q (%s), want %q", now, res.Summary.Status, res.Summary.Error, store.RunOK)
	}
}

// scanSQL returns, for each history table of tbls, a query that reads
// every column of every row: its first column is the number of rows read.
// Every hash sum is returned, so that DuckDB cannot skip reading a column.
func scanSQL(tbls []*tables.Table) []string {
	out := make([]string, len(tbls))
	for i, t := range tbls {
		out[i] = fmt.Sprintf("SELECT count(*), sum(hash(COLUMNS(*))) FROM %s.%s", store.HistorySchema, t.Name)
	}
	return out
}

// runScan runs the queries of scanSQL and returns the number of rows read.
func runScan(b *testing.B, st *store.Store, queries []string) int64 {
	b.Helper()
	var total int64
	for _, q := range queries {
		rows, err := st.DB().Query(q)
		if err != nil {
			b.Fatalf("scan history: %v", err)
		}
		columns, err := rows.Columns()
		if err != nil {
			b.Fatalf("scan history: %v", err)
		}
		values := make([]any, len(columns))
		targets := make([]any, len(columns))
		for i := range values {
			targets[i] = &values[i]
		}
		for rows.Next() {
			if err := rows.Scan(targets...); err != nil {
				b.Fatalf("scan history: %v", err)
			}
		}
		rows.Close()
		n, ok := values[0].(int64)
		if !ok {
			b.Fatalf("scan history: got count %v of type %T, want int64", values[0], values[0])
		}
		total += n
	}
	return total
}
