package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Kinds of finding change in FindingChange.Kind.
const (
	Appeared = "appeared"
	Resolved = "resolved"
	Reopened = "reopened"
)

// CheckRun identifies one stored check run.
type CheckRun struct {
	ID          int64     `json:"run_id"`
	Benchmark   string    `json:"benchmark,omitempty"`
	Version     string    `json:"version,omitempty"`
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// Cause is a change of the finding's resource between the two check runs.
type Cause struct {
	Table string `json:"table_name"`
	// Kind is Added, Removed or Changed.
	Kind string `json:"change"`
	// At is the sync time of the new version, nil for a removed resource.
	At *time.Time `json:"changed_at,omitempty"`
	// Columns are the changed columns, the first element of each path.
	Columns []string `json:"columns"`
}

// FindingChange is one finding (control and resource) that appeared, was
// resolved or reopened between two check runs.
type FindingChange struct {
	Kind      string `json:"change"`
	ControlID string `json:"control_id"`
	// Requirements are the requirement ids that the control maps to in the
	// benchmark of the newer run, such as 2.1.4.
	Requirements []string `json:"requirements,omitempty"`
	Resource     string   `json:"resource"`
	AccountID    string   `json:"account_id,omitempty"`
	Region       string   `json:"region,omitempty"`
	Severity     string   `json:"severity"`
	Reason       string   `json:"reason"`
	Causes       []Cause  `json:"causes,omitempty"`
}

// ErrNoCheckRun is returned by CheckRuns when fewer than two check runs
// can be compared.
var ErrNoCheckRun = errors.New("not enough check runs to compare: run 'stance check' after each sync")

// CheckRuns picks the two check runs to compare: the latest run evaluated
// at or before to, and the latest earlier run of the same benchmark and
// version evaluated at or before from. A zero from or to means no bound.
// Runs of past moments (stance check --at) are left out.
func CheckRuns(ctx context.Context, q Querier, from, to time.Time) (older, newer CheckRun, err error) {
	if !to.IsZero() && !from.IsZero() && to.Before(from) {
		return older, newer, fmt.Errorf("compare check runs: %s is before %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	exist, err := checkTablesExist(ctx, q)
	if err != nil {
		return older, newer, err
	}
	if !exist {
		return older, newer, ErrNoCheckRun
	}
	const pick = `SELECT run_id, coalesce(benchmark, ''), coalesce(version, ''), evaluated_at FROM stance_check_run
		WHERE NOT time_travel AND (?::TIMESTAMPTZ IS NULL OR evaluated_at <= ?::TIMESTAMPTZ) %s
		ORDER BY evaluated_at DESC, run_id DESC LIMIT 1`
	newer, err = scanRun(ctx, q, fmt.Sprintf(pick, ""), optionalTime(to), optionalTime(to))
	if err != nil {
		return older, newer, err
	}
	older, err = scanRun(ctx, q, fmt.Sprintf(pick, "AND run_id < ? AND coalesce(benchmark, '') = ? AND coalesce(version, '') = ?"),
		optionalTime(from), optionalTime(from), newer.ID, newer.Benchmark, newer.Version)
	return older, newer, err
}

func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func scanRun(ctx context.Context, q Querier, query string, args ...any) (CheckRun, error) {
	var r CheckRun
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return r, fmt.Errorf("read check runs: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return r, fmt.Errorf("read check runs: %w", err)
		}
		return r, ErrNoCheckRun
	}
	if err := rows.Scan(&r.ID, &r.Benchmark, &r.Version, &r.EvaluatedAt); err != nil {
		return r, fmt.Errorf("read check runs: %w", err)
	}
	r.EvaluatedAt = r.EvaluatedAt.UTC()
	return r, nil
}

// findingChangesSQL classifies each control and resource of two runs. A
// result of status error or skip makes its side unknown, and an unknown
// side never yields a change. A resource absent from the newer run is
// resolved only when its control ran there without error or skip. A run
// stores no row for a pass unless asked to, so a control whose results
// all passed is known to have run from stance_check_control (ranControls),
// where the database has that table.
const findingChangesSQL = `WITH old AS (
	SELECT control_id, resource, bool_or(status = 'fail') AS failed, bool_or(status IN ('error', 'skip')) AS unknown
	FROM stance_check_result WHERE run_id = $1 GROUP BY control_id, resource
), new AS (
	SELECT control_id, resource, any_value(account_id) AS account_id, any_value(region) AS region,
		any_value(severity) AS severity, any_value(reason) AS reason,
		bool_or(status = 'fail') AS failed, bool_or(status IN ('error', 'skip')) AS unknown
	FROM stance_check_result WHERE run_id = $2 GROUP BY control_id, resource
), ran AS (
	SELECT control_id FROM stance_check_result WHERE run_id = $2
	GROUP BY control_id HAVING NOT bool_or(status IN ('error', 'skip'))%s
), last_old AS (
	SELECT control_id, resource, any_value(account_id) AS account_id, any_value(region) AS region,
		any_value(severity) AS severity, any_value(reason) AS reason
	FROM stance_check_result WHERE run_id = $1 AND status = 'fail' GROUP BY control_id, resource
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM stance_check_result e WHERE e.run_id < $1 AND e.status = 'fail'
		AND e.control_id = n.control_id AND e.resource = n.resource) THEN 'reopened' ELSE 'appeared' END,
	n.control_id, n.resource, coalesce(n.account_id, ''), coalesce(n.region, ''), n.severity, n.reason
FROM new n LEFT JOIN old o USING (control_id, resource)
WHERE n.failed AND NOT n.unknown AND (o.resource IS NULL OR (NOT o.failed AND NOT o.unknown))
UNION ALL
SELECT 'resolved', l.control_id, l.resource, coalesce(l.account_id, ''), coalesce(l.region, ''), l.severity, l.reason
FROM last_old l LEFT JOIN new n USING (control_id, resource)
WHERE (n.resource IS NULL AND l.control_id IN (SELECT control_id FROM ran))
	OR (n.resource IS NOT NULL AND NOT n.failed AND NOT n.unknown)
ORDER BY 1, 2, 3`

// FindingChanges returns the findings that appeared, were resolved or
// reopened from the older run to the newer one, each with the changes of
// its resource between the two runs' moments. A finding is matched to a
// change when its resource equals the change's resource_id or _key.
//
// NOTE: a resource absent from the newer run, in a control that has
// results of status skip elsewhere (a blind spot), is not reported as
// resolved, even where the blind spot lies in another account.
func FindingChanges(ctx context.Context, q Querier, older, newer CheckRun) ([]FindingChange, error) {
	counted, err := tableExists(ctx, q, "stance_check_control")
	if err != nil {
		return nil, err
	}
	extra := ""
	if counted {
		extra = ranControls
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(findingChangesSQL, extra), older.ID, newer.ID)
	if err != nil {
		return nil, fmt.Errorf("compare check runs %d and %d: %w", older.ID, newer.ID, err)
	}
	var out []FindingChange
	for rows.Next() {
		var c FindingChange
		if err := rows.Scan(&c.Kind, &c.ControlID, &c.Resource, &c.AccountID, &c.Region, &c.Severity, &c.Reason); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read finding change: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read finding changes: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}

	requirements, err := controlRequirements(ctx, q, newer)
	if err != nil {
		return nil, err
	}
	causes, err := resourceCauses(ctx, q, older.EvaluatedAt, newer.EvaluatedAt)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Requirements = requirements[out[i].ControlID]
		out[i].Causes = causes[out[i].Resource]
	}
	return out, nil
}

// controlRequirements returns the requirement ids of each control in the
// benchmark version of run, none for a run without a benchmark.
func controlRequirements(ctx context.Context, q Querier, run CheckRun) (map[string][]string, error) {
	out := map[string][]string{}
	if run.Benchmark == "" {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT control_id, requirement_id FROM stance_control_mapping
		WHERE benchmark = ? AND version = ? AND control_id IS NOT NULL ORDER BY requirement_id`, run.Benchmark, run.Version)
	if err != nil {
		return nil, fmt.Errorf("read requirements of %s %s: %w", run.Benchmark, run.Version, err)
	}
	defer rows.Close()
	for rows.Next() {
		var control, requirement string
		if err := rows.Scan(&control, &requirement); err != nil {
			return nil, fmt.Errorf("read requirements of %s %s: %w", run.Benchmark, run.Version, err)
		}
		out[control] = append(out[control], requirement)
	}
	return out, rows.Err()
}

// resourceCauses returns the resource changes between two moments, by
// resource_id and by _key.
func resourceCauses(ctx context.Context, q Querier, from, to time.Time) (map[string][]Cause, error) {
	changes, err := Changes(ctx, q, from, to, Filter{})
	if err != nil {
		return nil, err
	}
	out := map[string][]Cause{}
	for _, c := range changes {
		cause := Cause{Table: c.Table, Kind: c.Kind, At: c.NewValidFrom, Columns: changedColumns(c.Fields)}
		out[c.ResourceID] = append(out[c.ResourceID], cause)
		if c.Key != c.ResourceID {
			out[c.Key] = append(out[c.Key], cause)
		}
	}
	return out, nil
}

// changedColumns returns the distinct columns of the paths, sorted. The
// raw column repeats the API object that the other columns model, so it is
// listed only when no other column changed.
func changedColumns(fields []Field) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		column := f.Path
		if i := strings.IndexAny(column, ".["); i >= 0 {
			column = column[:i]
		}
		if !seen[column] {
			seen[column] = true
			out = append(out, column)
		}
	}
	if len(out) > 1 && seen["raw"] {
		out = slices.DeleteFunc(out, func(c string) bool { return c == "raw" })
	}
	sort.Strings(out)
	return out
}

// ranControls adds to the ran CTE the controls of the newer run that
// stance_check_control records without an error or a skip.
const ranControls = `
	UNION
	SELECT control_id FROM stance_check_control WHERE run_id = $2 AND errors = 0 AND skipped = 0`

// checkTablesExist reports whether the database has check runs.
func checkTablesExist(ctx context.Context, q Querier) (bool, error) {
	return tableExists(ctx, q, "stance_check_run")
}

// tableExists reports whether the main schema has a table of that name.
func tableExists(ctx context.Context, q Querier, name string) (bool, error) {
	var n int
	rows, err := q.QueryContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?`, name)
	if err != nil {
		return false, fmt.Errorf("read check tables: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, fmt.Errorf("read check tables: %w", err)
		}
	}
	return n > 0, rows.Err()
}
