package azure

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	azemu "github.com/stance-cspm/stance/internal/emulator/azure"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	"github.com/stance-cspm/stance/sync"
)

// benchSize reads a positive integer from the environment, or returns def.
func benchSize(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// BenchmarkSyncAzure syncs a generated world of subscriptions x resources
// (default 100 x 1,000) from the emulator over HTTPS through the real SDK
// clients into a DuckDB file: first into an empty store, then again
// unchanged. The emulator runs in the same process, so the peak RSS
// includes its serving, but not the world it holds, which exists before
// the meter starts.
func BenchmarkSyncAzure(b *testing.B) {
	subs := benchSize(b, "STANCE_BENCH_AZURE_SUBSCRIPTIONS", 100)
	perSub := benchSize(b, "STANCE_BENCH_AZURE_RESOURCES", 1000)
	world := azemu.Generate(subs, perSub, 42)
	srv, err := azemu.Start(world, azemu.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	live, err := NewLive(Options{Endpoint: srv.URL(), RootCAs: srv.CertPool(), Credential: StaticToken("bench-token"), Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "stance.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()

	run := func(b *testing.B) (*sync.Result, synthetic.Measurement) {
		requestsBefore := srv.Requests()
		meter := synthetic.StartMeter()
		res, err := sync.Run(context.Background(), st, live, sync.Options{Logger: quiet})
		m, merr := meter.Stop()
		if err != nil {
			b.Fatal(err)
		}
		if merr != nil {
			b.Fatal(merr)
		}
		for _, p := range res.Partitions {
			if p.Status != store.StatusOK {
				b.Fatalf("partition %s of %s: %s (%s)", p.Table, p.AccountID, p.Status, p.Error)
			}
		}
		b.ReportMetric(float64(srv.Requests()-requestsBefore), "requests")
		return res, m
	}
	report := func(b *testing.B, res *sync.Result, m synthetic.Measurement) {
		b.ReportMetric(m.Wall.Seconds(), "wall-s")
		b.ReportMetric(m.CPU.Seconds(), "cpu-s")
		b.ReportMetric(float64(res.Summary.RowsFetched), "rows")
		b.ReportMetric(float64(subs*perSub)/m.Wall.Seconds(), "resources/s")
		b.ReportMetric(float64(m.PeakRSS)/(1<<20), "peak-rss-MiB")
		b.ReportMetric(float64(m.PeakHeap)/(1<<20), "peak-heap-MiB")
		if !m.RSSReset {
			b.Log("peak RSS covers the whole process: resetting VmHWM failed")
		}
	}

	b.Run("first", func(b *testing.B) {
		if b.N > 1 {
			b.Fatal("run with -benchtime=1x: each iteration would sync into a store that already holds the world")
		}
		res, m := run(b)
		report(b, res, m)
		b.ReportMetric(float64(res.Summary.VersionsAdded), "versions-added")
	})
	b.Run("resync", func(b *testing.B) {
		for range b.N {
			res, m := run(b)
			report(b, res, m)
			if res.Summary.VersionsAdded != 0 || res.Summary.VersionsClosed != 0 {
				b.Fatalf("unchanged re-sync added %d and closed %d versions, want 0 and 0", res.Summary.VersionsAdded, res.Summary.VersionsClosed)
			}
		}
	})
}
