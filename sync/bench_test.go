package sync_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	stancesync "github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
)

// benchRowsVariable sets the number of rows of the sync benchmarks, so that
// a quick run can use 50000 in place of the default million.
const benchRowsVariable = "STANCE_BENCH_ROWS"

// changeFraction is the share of rows that the change benchmark modifies.
const changeFraction = 0.01

// BenchmarkSync syncs a synthetic estate of STANCE_BENCH_ROWS rows (default
// 1,000,000) over 20 accounts x 4 regions x 3 tables through the real
// engine into a database file. Its sub-benchmarks share one store and run
// in order:
//
//   - first: a sync into an empty store, with rows/s, peak RSS and peak Go
//     heap;
//   - resync: a sync of the unchanged estate, which must add no version;
//   - change: a sync after 1% of the rows changed, which must add exactly
//     one version per changed row;
//   - appender: the same records written with a plain DuckDB Appender into
//     plain tables, and the ratio of the engine's rows/s to the Appender's.
//
// Run it with -benchtime=1x: every iteration of first syncs the whole
// estate. A sub-benchmark run alone (-bench 'Sync/resync') first syncs
// the estate outside the timer.
func BenchmarkSync(b *testing.B) {
	synthetic.Register()
	cfg := synthetic.DefaultConfig()
	cfg.Rows = benchRows(b)
	s := &syncBench{cfg: cfg, dir: b.TempDir()}
	defer s.close()

	b.Run("first", s.benchFirst)
	b.Run("resync", s.benchResync)
	b.Run("change", s.benchChange)
	b.Run("appender", s.benchAppender)
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

// syncBench is the state that the sub-benchmarks of BenchmarkSync share.
type syncBench struct {
	cfg   synthetic.Config
	dir   string
	world *synthetic.World
	st    *store.Store
	// stores counts the databases created, to give each a new file.
	stores int
	// clock advances one hour per sync, so that every run has its own
	// sync time.
	clock time.Time
	// first is the mean cost of a first sync, zero before one ran.
	first cost
}

// cost is the mean wall and CPU time of one operation.
type cost struct {
	wall, cpu time.Duration
}

// add sums the costs of a sequence of operations.
func (c *cost) add(m synthetic.Measurement) {
	c.wall += m.Wall
	c.cpu += m.CPU
}

func (c cost) mean(n int) cost {
	return cost{wall: c.wall / time.Duration(n), cpu: c.cpu / time.Duration(n)}
}

// report adds the metrics that every sub-benchmark shares: rows/s over wall
// time, CPU seconds, and both times as ratios of the first sync's.
func (c cost) report(b *testing.B, rows int, first cost) {
	b.ReportMetric(float64(rows)/c.wall.Seconds(), "rows/s")
	b.ReportMetric(c.cpu.Seconds(), "cpu-s")
	if first.wall > 0 && c != first {
		b.ReportMetric(c.wall.Seconds()/first.wall.Seconds(), "wall-ratio-to-first")
		b.ReportMetric(c.cpu.Seconds()/first.cpu.Seconds(), "cpu-ratio-to-first")
	}
}

func (s *syncBench) close() {
	if s.st != nil {
		s.st.Close()
		s.st = nil
	}
}

func (s *syncBench) now() time.Time { return s.clock }

// reset opens a new empty store and a fresh estate.
func (s *syncBench) reset(b *testing.B) {
	s.close()
	s.stores++
	path := filepath.Join(s.dir, fmt.Sprintf("bench-%d.duckdb", s.stores))
	previous := filepath.Join(s.dir, fmt.Sprintf("bench-%d.duckdb", s.stores-1))
	os.Remove(previous)
	os.Remove(previous + ".wal")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	world, err := synthetic.New(s.cfg)
	if err != nil {
		b.Fatal(err)
	}
	s.st, s.world = st, world
	s.clock = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
}

// sync runs the engine over the estate with the timer on, and returns the
// run's result and what it cost.
func (s *syncBench) sync(b *testing.B) (*stancesync.Result, synthetic.Measurement) {
	s.clock = s.clock.Add(time.Hour)
	meter := synthetic.StartMeter()
	b.StartTimer()
	res, err := stancesync.Run(context.Background(), s.st, synthetic.Provider{World: s.world}, stancesync.Options{
		Tables: s.world.Tables(),
		Now:    s.now,
		Logger: slog.New(slog.DiscardHandler),
	})
	b.StopTimer()
	m, merr := meter.Stop()
	if err != nil {
		b.Fatalf("sync of %d rows: %v", s.world.Rows(), err)
	}
	if merr != nil {
		b.Fatal(merr)
	}
	if res.Summary.Status != store.RunOK {
		b.Fatalf("sync of %d rows: status %q (%s), want %q", s.world.Rows(), res.Summary.Status, res.Summary.Error, store.RunOK)
	}
	return res, m
}

// ensureSynced prepares a store holding one sync of the estate, unless an
// earlier sub-benchmark left one. The timer must be stopped.
func (s *syncBench) ensureSynced(b *testing.B) {
	if s.st != nil && s.first.wall > 0 {
		return
	}
	s.reset(b)
	_, m := s.sync(b)
	s.first = cost{wall: m.Wall, cpu: m.CPU}
}

func (s *syncBench) benchFirst(b *testing.B) {
	b.StopTimer()
	var total cost
	var peakRSS, peakHeap uint64
	for range b.N {
		s.reset(b)
		res, m := s.sync(b)
		total.add(m)
		peakRSS = max(peakRSS, m.PeakRSS)
		peakHeap = max(peakHeap, m.PeakHeap)
		if !m.RSSReset {
			b.Log("peak RSS covers the whole process: resetting VmHWM failed")
		}
		if got, want := res.Summary.VersionsAdded, int64(s.world.Rows()); got != want {
			b.Fatalf("first sync added %d versions, want %d", got, want)
		}
	}
	s.first = total.mean(b.N)
	s.first.report(b, s.world.Rows(), s.first)
	b.ReportMetric(float64(peakRSS)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")
}

func (s *syncBench) benchResync(b *testing.B) {
	b.StopTimer()
	s.ensureSynced(b)
	var total cost
	for range b.N {
		res, m := s.sync(b)
		total.add(m)
		if res.Summary.VersionsAdded != 0 || res.Summary.VersionsClosed != 0 {
			b.Fatalf("unchanged re-sync added %d and closed %d versions, want 0 and 0",
				res.Summary.VersionsAdded, res.Summary.VersionsClosed)
		}
	}
	total.mean(b.N).report(b, s.world.Rows(), s.first)
}

func (s *syncBench) benchChange(b *testing.B) {
	b.StopTimer()
	s.ensureSynced(b)
	var total cost
	changedTotal := 0
	for range b.N {
		changed := s.world.Change(changeFraction)
		res, m := s.sync(b)
		total.add(m)
		changedTotal += changed
		if got := res.Summary.VersionsAdded; got != int64(changed) {
			b.Fatalf("sync after %d changes added %d versions, want %d", changed, got, changed)
		}
		if got := res.Summary.VersionsClosed; got != int64(changed) {
			b.Fatalf("sync after %d changes closed %d versions, want %d", changed, got, changed)
		}
	}
	total.mean(b.N).report(b, s.world.Rows(), s.first)
	b.ReportMetric(float64(changedTotal)/float64(b.N), "versions-added")
}

// benchAppender writes the estate's records into plain tables, one per
// synthetic table with its columns and no history columns, through one
// DuckDB Appender per table on one connection. Record generation is
// included, as it is in the engine's figures.
func (s *syncBench) benchAppender(b *testing.B) {
	b.StopTimer()
	world, err := synthetic.New(s.cfg)
	if err != nil {
		b.Fatal(err)
	}
	var total cost
	for i := range b.N {
		path := filepath.Join(s.dir, fmt.Sprintf("appender-%d.duckdb", i))
		connector, err := duckdb.NewConnector(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		db := sql.OpenDB(connector)
		for _, t := range world.Tables() {
			if _, err := db.Exec(plainTableSQL(t.Schema())); err != nil {
				b.Fatalf("create plain table %s: %v", t.Name, err)
			}
		}

		meter := synthetic.StartMeter()
		b.StartTimer()
		rows := appendWorld(b, db, world)
		b.StopTimer()
		m, err := meter.Stop()
		if err != nil {
			b.Fatal(err)
		}
		total.add(m)

		if rows != world.Rows() {
			b.Fatalf("appender wrote %d rows, want %d", rows, world.Rows())
		}
		db.Close()
		connector.Close()
		os.Remove(path)
		os.Remove(path + ".wal")
	}
	appender := total.mean(b.N)
	appender.report(b, world.Rows(), cost{})
	if s.first.wall > 0 {
		// The engine's speed as a fraction of the Appender's: 0.5 means
		// the engine takes twice as long for the same rows.
		b.ReportMetric(appender.wall.Seconds()/s.first.wall.Seconds(), "engine-speed-ratio")
		b.ReportMetric(appender.cpu.Seconds()/s.first.cpu.Seconds(), "engine-cpu-ratio")
	}
}

func plainTableSQL(sc store.Schema) string {
	defs := make([]string, len(sc.Columns))
	for i, c := range sc.Columns {
		defs[i] = c.Name + " " + c.Type
	}
	return fmt.Sprintf("CREATE TABLE %s (%s)", sc.Name, strings.Join(defs, ", "))
}

// appendWorld appends every record of the estate and returns the number of
// rows written.
func appendWorld(b *testing.B, db *sql.DB, world *synthetic.World) int {
	conn, err := db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	rows := 0
	err = conn.Raw(func(dc any) error {
		for _, t := range world.Tables() {
			sc := t.Schema()
			appender, err := duckdb.NewAppender(dc.(driver.Conn), "", "", sc.Name)
			if err != nil {
				return fmt.Errorf("open appender on %s: %w", sc.Name, err)
			}
			args := make([]driver.Value, len(sc.Columns))
			for _, account := range world.Accounts() {
				for _, region := range world.Regions() {
					err := world.Records(t.Name, account, region, func(rec tables.Record) error {
						for i, c := range sc.Columns {
							args[i] = plainValue(rec[c.Name])
						}
						rows++
						return appender.AppendRow(args...)
					})
					if err != nil {
						appender.Close()
						return fmt.Errorf("append %s in %s/%s: %w", sc.Name, account, region, err)
					}
				}
			}
			if err := appender.Close(); err != nil {
				return fmt.Errorf("close appender on %s: %w", sc.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return rows
}

// plainValue converts a synthetic record value to what the Appender takes,
// without the reflection that tables.Convert needs for arbitrary SDK types.
func plainValue(v any) driver.Value {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case map[string]string:
		out := make(duckdb.Map, len(x))
		for k, v := range x {
			out[k] = v
		}
		return out
	default:
		return v
	}
}
