package benchmarks

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/synthetic"
	synthaws "github.com/stance-cspm/stance/internal/synthetic/aws"
)

// benchRef is the benchmark version that BenchmarkCISv6 runs.
const benchRef = "cis_aws@6.0.0"

// BenchmarkCISv6 runs the CIS AWS v6.0.0 pack over a synthetic estate of
// STANCE_BENCH_RESOURCES rows (default one million) in a DuckDB file. It
// compares the time of the check with a baseline of one query per table
// that the pack reads, each reading every column of every row of the
// table's view. Run it with -benchtime=1x, because each run of the
// function generates the estate again:
//
//	go test ./benchmarks/ -run '^$' -bench BenchmarkCISv6 -benchtime=1x -timeout 60m -v
//
// Without -v, the testing package cuts the per-control table to its first
// lines.
func BenchmarkCISv6(b *testing.B) {
	ctx := context.Background()
	resources, err := benchResources()
	if err != nil {
		b.Fatal(err)
	}
	p, err := Load(Builtin())
	if err != nil {
		b.Fatal(err)
	}
	bm, err := p.Benchmark(benchRef)
	if err != nil {
		b.Fatal(err)
	}
	tables := tablesRead(p, bm)

	// Generate the estate into a file, then reopen it as a check command
	// would, so the check starts from the file and not from the buffers
	// that generation left.
	path := filepath.Join(b.TempDir(), "stance.duckdb")
	st, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	started := time.Now()
	estate, err := synthaws.Generate(ctx, st, synthaws.Config{Resources: resources})
	if err != nil {
		b.Fatal(err)
	}
	generated := time.Since(started)
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	generationPeak := peakRSS(b)
	st, err = store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.Logf("estate: %d rows in %d tables, %d accounts x %d regions, generated in %s; database file %s",
		estate.Total(), len(estate.Rows), estate.Config.Accounts, estate.Config.Regions, generated.Round(time.Millisecond), fileSize(path))

	// One scan of every table warms DuckDB's buffers before anything is
	// timed, so the check and the timed baseline below both start warm.
	if _, err := scanTables(ctx, st, tables); err != nil {
		b.Fatal(err)
	}

	var run *Run
	var total time.Duration
	resetPeakRSS(b)
	cpuStart := synthetic.ProcessCPU()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		// The check stores every result; reading them back is the report's
		// work, which is timed below on its own.
		run, err = Execute(ctx, st, p, bm, nil, Filters{}, Options{Load: LoadNone, Logger: benchLogger()})
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	total /= time.Duration(b.N)
	checkCPU := (synthetic.ProcessCPU() - cpuStart) / time.Duration(b.N)
	checkPeak := peakRSS(b)

	cpuStart = synthetic.ProcessCPU()
	baseline, err := scanTables(ctx, st, tables)
	baselineCPU := synthetic.ProcessCPU() - cpuStart
	if err != nil {
		b.Fatal(err)
	}
	controlsPhase, err := runPhase(ctx, st, run.ID)
	if err != nil {
		b.Fatal(err)
	}

	// A second run finds the findings of the first one open, as every run
	// after the first does in use, so saving updates them.
	start := time.Now()
	cpuStart = synthetic.ProcessCPU()
	second, err := Execute(ctx, st, p, bm, nil, Filters{}, Options{Load: LoadNone, Logger: benchLogger()})
	if err != nil {
		b.Fatal(err)
	}
	secondTotal := time.Since(start)
	secondCPU := synthetic.ProcessCPU() - cpuStart
	secondControls, err := runPhase(ctx, st, second.ID)
	if err != nil {
		b.Fatal(err)
	}
	// What 'stance check' reads back for a table or Markdown report: every
	// result but the passes.
	start = time.Now()
	if err := LoadResults(ctx, st.DB(), second, LoadNotPassed); err != nil {
		b.Fatal(err)
	}
	loadNotPassed := time.Since(start)
	results := 0
	for _, o := range run.Outcomes {
		for _, n := range o.Counts {
			results += n
		}
		if o.Err != nil {
			b.Errorf("control %s failed: %v", o.Control.ID, o.Err)
		}
	}
	var baselineTotal time.Duration
	for _, d := range baseline {
		baselineTotal += d
	}
	ratio := total.Seconds() / baselineTotal.Seconds()

	b.ReportMetric(total.Seconds(), "check-s")
	b.ReportMetric(baselineTotal.Seconds(), "baseline-s")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(checkCPU.Seconds(), "check-cpu-s")
	b.ReportMetric(baselineCPU.Seconds(), "baseline-cpu-s")
	b.ReportMetric(checkCPU.Seconds()/baselineCPU.Seconds(), "cpu-ratio")
	b.ReportMetric(float64(results), "results")
	b.ReportMetric(float64(checkPeak)/(1<<20), "peak-MiB")
	b.Logf("check: %s for %d controls and %d results (%s running controls, %s storing results and findings)",
		total.Round(time.Millisecond), len(run.Outcomes), results, controlsPhase.Round(time.Millisecond),
		(total - controlsPhase).Round(time.Millisecond))
	b.Logf("second check, with the findings of the first open: %s (%s running controls, %s storing)",
		secondTotal.Round(time.Millisecond), secondControls.Round(time.Millisecond), (secondTotal - secondControls).Round(time.Millisecond))
	b.Logf("baseline: %s for %d tables; ratio %.2f (target under 5), second check %.2f, running controls alone %.2f",
		baselineTotal.Round(time.Millisecond), len(tables), ratio,
		secondTotal.Seconds()/baselineTotal.Seconds(), controlsPhase.Seconds()/baselineTotal.Seconds())
	b.Logf("CPU time: check %s, second check %s, baseline %s; ratios %.2f and %.2f",
		checkCPU.Round(time.Millisecond), secondCPU.Round(time.Millisecond), baselineCPU.Round(time.Millisecond),
		checkCPU.Seconds()/baselineCPU.Seconds(), secondCPU.Seconds()/baselineCPU.Seconds())
	b.Logf("reading back the %d results that are not passes, as a table report does: %s",
		second.Counts()[StatusFail]+second.Counts()[StatusError]+second.Counts()[StatusSkip]+second.Counts()[StatusInfo],
		loadNotPassed.Round(time.Millisecond))
	b.Logf("peak RSS: %d MiB while generating, %d MiB during the check, %d MiB until the second check ended",
		generationPeak>>20, checkPeak>>20, peakRSS(b)>>20)

	// Outcome.Duration overlaps between controls that ran at the same
	// time, so each control is timed again here, alone, after the timed
	// run.
	timings, err := timeControls(ctx, st, run.Outcomes)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("per control, slowest first, each run alone:\n%s", controlTable(run.Outcomes, timings))
	b.Logf("baseline per table, slowest first:\n%s", baselineTable(baseline, estate.Rows))
}

// benchLogger logs the steps of saving a check at debug level when
// STANCE_BENCH_DEBUG is set.
func benchLogger() *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("STANCE_BENCH_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// benchResources returns STANCE_BENCH_RESOURCES, or the default size.
func benchResources() (int, error) {
	v := os.Getenv("STANCE_BENCH_RESOURCES")
	if v == "" {
		return synthaws.DefaultResources, nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid STANCE_BENCH_RESOURCES %q: use a positive number of rows, such as 100000", v)
	}
	return n, nil
}

// tablesRead returns the tables that the controls of a benchmark read,
// sorted.
func tablesRead(p *Pack, bm *Benchmark) []string {
	controls, _, _ := selectRequirements(p, bm, Filters{})
	seen := map[string]bool{}
	var out []string
	for _, c := range controls {
		for _, t := range c.Tables {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}

// scanTables runs one query per table that hashes every column of every
// row of its present-state view, and returns each query's time. Hashing
// forces DuckDB to read and decode every column, which count(*) alone
// would not.
func scanTables(ctx context.Context, st *store.Store, tables []string) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for _, t := range tables {
		start := time.Now()
		if err := drainQuery(ctx, st, "SELECT count(*), sum(hash(COLUMNS(*))) FROM "+t); err != nil {
			return nil, fmt.Errorf("scan %s: %w", t, err)
		}
		out[t] = time.Since(start)
	}
	return out, nil
}

// runPhase returns the time from the start of the controls to the
// start of saving, which stance_check_run records as started_at and
// finished_at.
func runPhase(ctx context.Context, st *store.Store, runID int64) (time.Duration, error) {
	var started, finished time.Time
	err := st.DB().QueryRowContext(ctx, `SELECT started_at, finished_at FROM stance_check_run WHERE run_id = ?`, runID).Scan(&started, &finished)
	if err != nil {
		return 0, fmt.Errorf("read check run %d: %w", runID, err)
	}
	return finished.Sub(started), nil
}

// controlTiming is the time of one control run on its own.
type controlTiming struct {
	// Evaluate is the time of the runner's evaluation of the control:
	// coverage lookups, the query, counting its results and collecting
	// the ones that are stored. Storing them and the upkeep of findings
	// are not included.
	Evaluate time.Duration
	// Query is the time to run the control's SQL and fetch every row.
	Query time.Duration
}

// timeControls evaluates each control of outcomes alone, once as the
// runner does and once as a bare query, and returns the times by control
// id.
func timeControls(ctx context.Context, st *store.Store, outcomes []Outcome) (map[string]controlTiming, error) {
	out := map[string]controlTiming{}
	for _, o := range outcomes {
		c := o.Control
		start := time.Now()
		// Run id 0 belongs to no run; its scratch table is dropped below.
		scratch, err := createScratch(ctx, st.DB(), 0)
		if err != nil {
			return nil, err
		}
		if res := evaluate(ctx, st, c, 0, Filters{}, time.Time{}, nil, scratch, false); res.Err != nil {
			return nil, fmt.Errorf("evaluate control %s: %w", c.ID, res.Err)
		}
		timing := controlTiming{Evaluate: time.Since(start)}
		dropScratch(ctx, st.DB(), scratch, slog.Default())

		start = time.Now()
		if err := drainQuery(ctx, st, c.SQL); err != nil {
			return nil, fmt.Errorf("query of control %s: %w", c.ID, err)
		}
		timing.Query = time.Since(start)
		out[c.ID] = timing
	}
	return out, nil
}

// drainQuery runs q and scans every row.
func drainQuery(ctx context.Context, st *store.Store, q string) error {
	rows, err := st.DB().QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	values := make([]any, len(cols))
	pointers := make([]any, len(cols))
	for i := range values {
		pointers[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(pointers...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// controlTable formats the outcomes of the benchmark run with the times of
// each control run alone, slowest first, as a Markdown table.
func controlTable(outcomes []Outcome, timings map[string]controlTiming) string {
	sorted := append([]Outcome(nil), outcomes...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return timings[sorted[i].Control.ID].Evaluate > timings[sorted[j].Control.ID].Evaluate
	})
	var b strings.Builder
	b.WriteString("| control | results | pass | fail | skip | evaluate (s) | query (s) |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, o := range sorted {
		counts := o.Counts
		total := 0
		for _, n := range counts {
			total += n
		}
		t := timings[o.Control.ID]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.3f | %.3f |\n", o.Control.ID, total,
			counts[StatusPass], counts[StatusFail], counts[StatusSkip], t.Evaluate.Seconds(), t.Query.Seconds())
	}
	return b.String()
}

// baselineTable formats the scan time of each table, slowest first.
func baselineTable(times map[string]time.Duration, rows map[string]int64) string {
	names := sortedNames(times)
	sort.SliceStable(names, func(i, j int) bool { return times[names[i]] > times[names[j]] })
	var b strings.Builder
	b.WriteString("| table | rows | seconds |\n|---|---:|---:|\n")
	for _, t := range names {
		fmt.Fprintf(&b, "| %s | %d | %.3f |\n", t, rows[t], times[t].Seconds())
	}
	return b.String()
}

// peakRSS returns the peak resident set size of the process (VmHWM) in
// bytes.
func peakRSS(b *testing.B) int64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Logf("NOTE: peak RSS not read: %v", err)
		return 0
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 3 && fields[0] == "VmHWM:" && fields[2] == "kB" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// resetPeakRSS sets VmHWM back to the current RSS, which Linux does when
// "5" is written to /proc/self/clear_refs.
func resetPeakRSS(b *testing.B) {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("NOTE: peak RSS not reset, so the peak of the check includes generation: %v", err)
	}
}

// fileSize returns the size of the database file and its write-ahead log
// in MiB, as text.
func fileSize(path string) string {
	var total int64
	for _, p := range []string{path, path + ".wal"} {
		if info, err := os.Stat(p); err == nil {
			total += info.Size()
		}
	}
	return fmt.Sprintf("%d MiB", total>>20)
}

// TestSyntheticEstatePassesAndFails runs the CIS AWS v6.0.0 pack over a
// small synthetic estate. Every control must run without error, report no
// blind spot, and return both pass and fail, so that the benchmark times
// both paths of every control.
func TestSyntheticEstatePassesAndFails(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// 40 accounts, so that settings that only a few accounts get wrong,
	// such as root access keys, fail somewhere.
	if _, err := synthaws.Generate(ctx, st, synthaws.Config{Resources: 20_000, Accounts: 40, Regions: 2}); err != nil {
		t.Fatal(err)
	}

	p := loadBuiltin(t)
	bm, err := p.Benchmark(benchRef)
	if err != nil {
		t.Fatal(err)
	}
	run, err := Execute(ctx, st, p, bm, nil, Filters{}, Options{Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}

	for _, o := range run.Outcomes {
		t.Run(o.Control.ID, func(t *testing.T) {
			if o.Err != nil {
				t.Fatalf("control failed: %v", o.Err)
			}
			counts := map[string]int{}
			for _, r := range o.Results {
				counts[r.Status]++
				if strings.Contains(r.Reason, "blind spot") || strings.Contains(r.Reason, "never synced") {
					t.Errorf("resource %s: got a blind spot (%s), want none", r.Resource, r.Reason)
				}
			}
			if counts[StatusPass] == 0 || counts[StatusFail] == 0 {
				t.Errorf("got %v, want at least one pass and one fail", counts)
			}
		})
	}
}
