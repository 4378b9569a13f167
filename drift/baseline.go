package drift

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Baseline is a named moment that drift compares the present with.
type Baseline struct {
	Name      string
	At        time.Time
	CreatedAt time.Time
}

const baselineTable = `CREATE TABLE IF NOT EXISTS stance_baseline (
	name VARCHAR PRIMARY KEY,
	baseline_at TIMESTAMPTZ NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
)`

// SetBaseline stores the moment at under name, replacing a baseline of
// that name. The database must be open for writing.
func SetBaseline(ctx context.Context, q Querier, name string, at, now time.Time) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("missing baseline name: give one, such as known-good")
	}
	if _, err := q.ExecContext(ctx, baselineTable); err != nil {
		return fmt.Errorf("create table stance_baseline: %w", err)
	}
	if _, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO stance_baseline VALUES (?, ?, ?)`, name, at.UTC(), now.UTC()); err != nil {
		return fmt.Errorf("store baseline %q: %w", name, err)
	}
	return nil
}

// RemoveBaseline deletes a baseline, or returns an error when none has
// that name.
func RemoveBaseline(ctx context.Context, q Querier, name string) error {
	if _, err := q.ExecContext(ctx, baselineTable); err != nil {
		return fmt.Errorf("create table stance_baseline: %w", err)
	}
	res, err := q.ExecContext(ctx, `DELETE FROM stance_baseline WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("remove baseline %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("baseline %q not found: list them with 'stance baseline list'", name)
	}
	return nil
}

// Baselines returns every baseline, oldest moment first. A database
// without the stance_baseline table has none.
func Baselines(ctx context.Context, q Querier) ([]Baseline, error) {
	exists, err := hasBaselineTable(ctx, q)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT name, baseline_at, created_at FROM stance_baseline ORDER BY baseline_at, name`)
	if err != nil {
		return nil, fmt.Errorf("read baselines: %w", err)
	}
	defer rows.Close()
	var out []Baseline
	for rows.Next() {
		var b Baseline
		if err := rows.Scan(&b.Name, &b.At, &b.CreatedAt); err != nil {
			return nil, fmt.Errorf("read baselines: %w", err)
		}
		b.At, b.CreatedAt = b.At.UTC(), b.CreatedAt.UTC()
		out = append(out, b)
	}
	return out, rows.Err()
}

// LookupBaseline returns the moment of the baseline called name.
func LookupBaseline(ctx context.Context, q Querier, name string) (time.Time, error) {
	missing := fmt.Errorf("baseline %q not found: create it with 'stance baseline set %s' or list them with 'stance baseline list'", name, name)
	exists, err := hasBaselineTable(ctx, q)
	if err != nil {
		return time.Time{}, err
	}
	if !exists {
		return time.Time{}, missing
	}
	rows, err := q.QueryContext(ctx, `SELECT baseline_at FROM stance_baseline WHERE name = ?`, name)
	if err != nil {
		return time.Time{}, fmt.Errorf("read baseline %q: %w", name, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return time.Time{}, fmt.Errorf("read baseline %q: %w", name, err)
		}
		return time.Time{}, missing
	}
	var at time.Time
	if err := rows.Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("read baseline %q: %w", name, err)
	}
	return at.UTC(), nil
}

func hasBaselineTable(ctx context.Context, q Querier) (bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'stance_baseline'`)
	if err != nil {
		return false, fmt.Errorf("read baselines: %w", err)
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

// LastSyncs returns the sync times of the two latest finished sync runs,
// the default moments of a comparison: previous is zero when only one run
// finished. It returns an error when no run finished.
func LastSyncs(ctx context.Context, q Querier) (previous, latest time.Time, err error) {
	rows, err := q.QueryContext(ctx, `SELECT sync_time FROM stance_sync_run WHERE finished_at IS NOT NULL ORDER BY sync_time DESC LIMIT 2`)
	if err != nil {
		return previous, latest, fmt.Errorf("read sync runs: %w", err)
	}
	defer rows.Close()
	var times []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return previous, latest, fmt.Errorf("read sync runs: %w", err)
		}
		times = append(times, t.UTC())
	}
	if err := rows.Err(); err != nil {
		return previous, latest, fmt.Errorf("read sync runs: %w", err)
	}
	switch len(times) {
	case 0:
		return previous, latest, errors.New("no finished sync in the database: run 'stance sync' first")
	case 1:
		return previous, times[0], nil
	}
	return times[1], times[0], nil
}
