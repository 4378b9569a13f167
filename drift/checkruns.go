package drift

import (
	"context"
	"fmt"
	"time"
)

// RunSelector narrows the check runs that CheckRunPairs compares. The
// zero value selects every benchmark.
type RunSelector struct {
	// Benchmark picks one benchmark by name, such as cis_aws.
	Benchmark string
	// Version picks one version of Benchmark, such as 6.0.0. Empty means
	// the version of the benchmark's latest run.
	Version string
	// Benchmarks, when not nil, lists the only benchmark names allowed,
	// such as those of the providers named by --provider.
	Benchmarks []string
}

// RunPair is the older and newer check run of one benchmark version.
type RunPair struct {
	Older, Newer CheckRun
}

// CheckRunPairs picks, for each selected benchmark, the two check runs to
// compare as CheckRuns does: the latest run at or before to, and the
// latest earlier run of the same version at or before from. A benchmark
// with fewer than two such runs is left out. It returns ErrNoCheckRun
// when no benchmark has two runs, or an error naming the earliest run
// when from is before every run of the selection.
func CheckRunPairs(ctx context.Context, q Querier, from, to time.Time, sel RunSelector) ([]RunPair, error) {
	if !to.IsZero() && !from.IsZero() && to.Before(from) {
		return nil, fmt.Errorf("compare check runs: %s is before %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	exist, err := checkTablesExist(ctx, q)
	if err != nil {
		return nil, err
	}
	if !exist {
		return nil, ErrNoCheckRun
	}
	names, err := runBenchmarks(ctx, q, sel)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 && sel.Benchmark != "" {
		ref := sel.Benchmark
		if sel.Version != "" {
			ref += "@" + sel.Version
		}
		return nil, fmt.Errorf("no check run of benchmark %s: run 'stance check %s' after each sync", ref, ref)
	}

	const pick = `SELECT run_id, coalesce(benchmark, ''), coalesce(version, ''), evaluated_at FROM stance_check_run
		WHERE NOT time_travel AND coalesce(benchmark, '') = ? AND (? = '' OR coalesce(version, '') = ?)
		AND (?::TIMESTAMPTZ IS NULL OR evaluated_at <= ?::TIMESTAMPTZ) %s
		ORDER BY evaluated_at DESC, run_id DESC LIMIT 1`
	var pairs []RunPair
	for _, name := range names {
		newer, err := scanRun(ctx, q, fmt.Sprintf(pick, ""), name, sel.Version, sel.Version, optionalTime(to), optionalTime(to))
		if err == ErrNoCheckRun {
			continue
		}
		if err != nil {
			return nil, err
		}
		older, err := scanRun(ctx, q, fmt.Sprintf(pick, "AND run_id < ?"),
			name, newer.Version, newer.Version, optionalTime(from), optionalTime(from), newer.ID)
		if err == ErrNoCheckRun {
			continue
		}
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, RunPair{Older: older, Newer: newer})
	}
	if len(pairs) > 0 {
		return pairs, nil
	}
	if !from.IsZero() {
		return nil, noRunAtOrBefore(ctx, q, from, names)
	}
	return nil, ErrNoCheckRun
}

// runBenchmarks returns the names of the benchmarks that have check runs
// of live data and that sel selects, sorted.
func runBenchmarks(ctx context.Context, q Querier, sel RunSelector) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT coalesce(benchmark, '') FROM stance_check_run
		WHERE NOT time_travel AND (? = '' OR coalesce(benchmark, '') = ?) AND (? = '' OR coalesce(version, '') = ?)
		ORDER BY 1`, sel.Benchmark, sel.Benchmark, sel.Version, sel.Version)
	if err != nil {
		return nil, fmt.Errorf("list the benchmarks of check runs: %w", err)
	}
	defer rows.Close()
	allowed := map[string]bool{}
	for _, b := range sel.Benchmarks {
		allowed[b] = true
	}
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list the benchmarks of check runs: %w", err)
		}
		if sel.Benchmarks == nil || allowed[name] {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// noRunAtOrBefore returns the error for a start moment before every check
// run of the benchmarks, naming the earliest run so the caller can pick a
// later start. It returns ErrNoCheckRun when a run exists at or before
// from, because then the runs are too few rather than too late.
func noRunAtOrBefore(ctx context.Context, q Querier, from time.Time, benchmarks []string) error {
	var earliest CheckRun
	for _, name := range benchmarks {
		r, err := scanRun(ctx, q, `SELECT run_id, coalesce(benchmark, ''), coalesce(version, ''), evaluated_at
			FROM stance_check_run WHERE NOT time_travel AND coalesce(benchmark, '') = ?
			ORDER BY evaluated_at, run_id LIMIT 1`, name)
		if err == ErrNoCheckRun {
			continue
		}
		if err != nil {
			return err
		}
		if earliest.ID == 0 || r.EvaluatedAt.Before(earliest.EvaluatedAt) {
			earliest = r
		}
	}
	if earliest.ID == 0 || !earliest.EvaluatedAt.After(from) {
		return ErrNoCheckRun
	}
	return fmt.Errorf("no check run is at or before %s: the earliest is run %d of %s %s at %s, so use a later --from",
		from.Format(time.RFC3339), earliest.ID, earliest.Benchmark, earliest.Version, earliest.EvaluatedAt.Format(time.RFC3339))
}
