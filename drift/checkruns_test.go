package drift

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// storeWithRuns returns a store whose check runs are, in order: run 1 of
// cis_aws 6.0.0 (a real run over an empty store, which creates the
// tables), then stored runs of cis_gcp, cis_azure and cis_aws, and a
// time-travel run of cis_gcp that must be left out.
func storeWithRuns(t *testing.T) (*store.Store, time.Time) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	t0 := firstSync
	checkDemo(t, st, t0)
	runs := []struct {
		benchmark, version string
		after              time.Duration
		timeTravel         bool
	}{
		{"cis_gcp", "4.0.0", 1 * time.Hour, false},
		{"cis_azure", "5.0.0", 2 * time.Hour, false},
		{"cis_aws", "6.0.0", 3 * time.Hour, false},
		{"cis_gcp", "4.0.0", 4 * time.Hour, false},
		{"cis_gcp", "4.0.0", 5 * time.Hour, true},
	}
	for i, r := range runs {
		at := t0.Add(r.after)
		if _, err := st.DB().ExecContext(ctx, `INSERT INTO stance_check_run (run_id, benchmark, version, started_at, evaluated_at, time_travel)
			VALUES (?, ?, ?, ?, ?, ?)`, int64(i+2), r.benchmark, r.version, at, at, r.timeTravel); err != nil {
			t.Fatalf("insert run %d: %v", i+2, err)
		}
	}
	return st, t0
}

func TestCheckRunPairsPerBenchmark(t *testing.T) {
	st, t0 := storeWithRuns(t)
	tests := []struct {
		name string
		sel  RunSelector
		from time.Time
		want string
	}{
		{"every benchmark", RunSelector{}, time.Time{}, "cis_aws 1-4, cis_gcp 2-5"},
		{"one benchmark", RunSelector{Benchmark: "cis_gcp"}, time.Time{}, "cis_gcp 2-5"},
		{"benchmark and version", RunSelector{Benchmark: "cis_aws", Version: "6.0.0"}, time.Time{}, "cis_aws 1-4"},
		{"allowed names", RunSelector{Benchmarks: []string{"cis_aws", "cis_azure"}}, time.Time{}, "cis_aws 1-4"},
		{"from between runs", RunSelector{}, t0.Add(90 * time.Minute), "cis_aws 1-4, cis_gcp 2-5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs, err := CheckRunPairs(context.Background(), st.DB(), tt.from, time.Time{}, tt.sel)
			if err != nil {
				t.Fatalf("check run pairs: %v", err)
			}
			var got []string
			for _, p := range pairs {
				if p.Older.Benchmark != p.Newer.Benchmark {
					t.Errorf("pair of runs %d and %d mixes %s and %s", p.Older.ID, p.Newer.ID, p.Older.Benchmark, p.Newer.Benchmark)
				}
				got = append(got, p.Newer.Benchmark+" "+strconv.FormatInt(p.Older.ID, 10)+"-"+strconv.FormatInt(p.Newer.ID, 10))
			}
			if strings.Join(got, ", ") != tt.want {
				t.Errorf("got pairs %q, want %q", strings.Join(got, ", "), tt.want)
			}
		})
	}
}

func TestCheckRunPairsErrors(t *testing.T) {
	st, t0 := storeWithRuns(t)
	ctx := context.Background()

	_, err := CheckRunPairs(ctx, st.DB(), t0.Add(-24*time.Hour), time.Time{}, RunSelector{})
	if err == nil || errors.Is(err, ErrNoCheckRun) {
		t.Fatalf("from before every run: got error %v, want one naming the earliest run", err)
	}
	if want := "no check run is at or before 2026-02-28T12:00:00Z: the earliest is run 1 of cis_aws 6.0.0"; !strings.Contains(err.Error(), want) {
		t.Errorf("from before every run: got %q, want it to contain %q", err, want)
	}

	_, err = CheckRunPairs(ctx, st.DB(), time.Time{}, time.Time{}, RunSelector{Benchmark: "cis_azure"})
	if !errors.Is(err, ErrNoCheckRun) {
		t.Errorf("benchmark with one run: got error %v, want ErrNoCheckRun", err)
	}

	_, err = CheckRunPairs(ctx, st.DB(), time.Time{}, time.Time{}, RunSelector{Benchmark: "cis_aws", Version: "9.9.9"})
	if err == nil || !strings.Contains(err.Error(), "no check run of benchmark cis_aws@9.9.9") {
		t.Errorf("unknown version: got error %v, want one naming cis_aws@9.9.9", err)
	}
}
