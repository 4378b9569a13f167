package gcp

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	syntheticgcp "github.com/stance-cspm/stance/internal/synthetic/gcp"
	"github.com/stance-cspm/stance/sync"
)

// BenchmarkImport imports a synthetic Cloud Asset Inventory export of
// $STANCE_BENCH_ASSETS records (default 1,000,000) into a new database
// file, through the same path as 'stance sync gcp --from-file'. Writing
// the export is not measured.
func BenchmarkImport(b *testing.B) {
	assets := 1_000_000
	if env := os.Getenv("STANCE_BENCH_ASSETS"); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil || n <= 0 {
			b.Fatalf("invalid STANCE_BENCH_ASSETS %q: want a positive integer", env)
		}
		assets = n
	}
	dir := b.TempDir()
	export := filepath.Join(dir, "assets.jsonl")
	f, err := os.Create(export)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := syntheticgcp.Write(f, syntheticgcp.Config{Seed: 1, Assets: assets}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(export)
	if err != nil {
		b.Fatal(err)
	}

	for i := 0; i < b.N; i++ {
		st, err := store.Open(context.Background(), filepath.Join(dir, "stance-"+strconv.Itoa(i)+".db"))
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		meter := synthetic.StartMeter()
		off, err := NewOffline(OfflineOptions{Paths: []string{export}, Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		res, err := sync.Run(context.Background(), st, off, sync.Options{Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		m, err := meter.Stop()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		off.Close()
		if res.Summary.Status != store.RunOK {
			b.Fatalf("import status %s: %v", res.Summary.Status, res.Failed())
		}
		b.ReportMetric(float64(assets)/m.Wall.Seconds(), "assets/s")
		b.ReportMetric(float64(res.Summary.RowsFetched)/m.Wall.Seconds(), "rows/s")
		b.ReportMetric(float64(res.Summary.RowsFetched), "rows")
		b.ReportMetric(m.CPU.Seconds(), "cpu-s")
		b.ReportMetric(float64(m.PeakRSS)/(1<<20), "peak-rss-MiB")
		b.ReportMetric(float64(m.PeakHeap)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(info.Size())/(1<<20), "export-MiB")
		st.Close()
	}
}
