package benchmarks

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// save stores a run and its results, then moves the findings of the
// controls that ran: a failing resource opens a finding or reopens a
// resolved one, and an open finding whose resource now passes or is gone
// is resolved. Blind spots, errors and runs in the past change no finding.
func save(ctx context.Context, db *sql.DB, run *Run, f Filters, timeTravel bool, started time.Time) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	defer conn.Close()
	// One transaction on one connection holds the run, its results (added
	// with the appender, which needs the raw connection) and the findings,
	// so a failure leaves none of them.
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	tx := conn

	var name, version any
	var revision any
	if run.Benchmark != nil {
		name, version, revision = run.Benchmark.Name, run.Benchmark.Version, run.Benchmark.Revision
	}
	counts := run.Counts()
	filters, _ := json.Marshal(f)
	err = tx.QueryRowContext(ctx, `INSERT INTO stance_check_run VALUES (nextval('stance_check_run_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id`,
		name, version, revision, started.UTC(), time.Now().UTC(), run.EvaluatedAt, timeTravel, string(filters),
		len(run.Outcomes), counts[StatusPass], counts[StatusFail], counts[StatusError], counts[StatusSkip]).Scan(&run.ID)
	if err != nil {
		return fmt.Errorf("save check run: %w", err)
	}

	// Results go in with the appender: a benchmark over a large estate
	// returns a row per resource and control.
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "", "", "stance_check_result")
		if err != nil {
			return err
		}
		for _, o := range run.Outcomes {
			for _, r := range o.Results {
				err := a.AppendRow(run.ID, name, version, revision, r.ControlID, o.Control.SQLHash, r.Severity,
					r.Resource, r.Status, r.Reason, nullText(r.AccountID), nullText(r.Region),
					nullText(r.RemediationCommand), r.Suppressed, nullText(r.SuppressionReason), run.EvaluatedAt)
				if err != nil {
					a.Close()
					return err
				}
			}
		}
		return a.Close()
	})
	if err != nil {
		return fmt.Errorf("save check results: %w", err)
	}
	if !timeTravel {
		if err := updateFindings(ctx, tx, run, f); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	committed = true
	return nil
}

func updateFindings(ctx context.Context, tx *sql.Conn, run *Run, f Filters) error {
	var ran []string
	for _, o := range run.Outcomes {
		if o.Err == nil {
			ran = append(ran, o.Control.ID)
		}
	}
	if len(ran) == 0 {
		return nil
	}
	at := run.EvaluatedAt
	stmts := []struct {
		what string
		sql  string
		args []any
	}{
		{"open new findings", `INSERT INTO stance_finding
			SELECT control_id, resource, any_value(account_id), any_value(region), any_value(severity),
				CASE WHEN bool_and(suppressed) THEN 'suppressed' ELSE 'open' END, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ, NULL, 0,
				any_value(reason), any_value(remediation_command), ?::BIGINT
			FROM stance_check_result r
			WHERE run_id = ? AND status = 'fail'
			  AND NOT EXISTS (SELECT 1 FROM stance_finding f WHERE f.control_id = r.control_id AND f.resource = r.resource)
			GROUP BY control_id, resource`, []any{at, at, run.ID, run.ID}},
		{"update failing findings", `UPDATE stance_finding AS f SET
				status = CASE WHEN r.suppressed THEN 'suppressed' ELSE 'open' END,
				reopen_count = f.reopen_count + CASE WHEN f.status = 'resolved' THEN 1 ELSE 0 END,
				resolved_at = NULL, last_seen = ` + sqlTime(at) + `, reason = r.reason, severity = r.severity,
				remediation_command = r.remediation_command, last_run_id = ` + fmt.Sprint(run.ID) + `
			FROM (SELECT control_id, resource, any_value(reason) AS reason, any_value(severity) AS severity,
					any_value(remediation_command) AS remediation_command, bool_and(suppressed) AS suppressed
				FROM stance_check_result WHERE run_id = ? AND status = 'fail' GROUP BY control_id, resource) r
			WHERE f.control_id = r.control_id AND f.resource = r.resource`, []any{run.ID}},
	}
	// Resolve open findings of the controls that ran, unless the resource
	// still fails, or sits in an account and region the run could not
	// evaluate (a blind spot), or lies outside the run's filters.
	resolve := `UPDATE stance_finding AS f SET status = 'resolved', resolved_at = ?::TIMESTAMPTZ, last_run_id = ?::BIGINT
		WHERE f.status IN ('open', 'suppressed') AND f.control_id IN (` + placeholders(len(ran)) + `)
		  AND NOT EXISTS (SELECT 1 FROM stance_check_result r WHERE r.run_id = ? AND r.control_id = f.control_id
				AND r.resource = f.resource AND r.status IN ('fail', 'error', 'skip'))
		  AND NOT EXISTS (SELECT 1 FROM stance_check_result r WHERE r.run_id = ? AND r.control_id = f.control_id
				AND r.status = 'skip' AND (r.account_id IS NULL OR (r.account_id = f.account_id AND (r.region = f.region OR r.region = 'global'))))`
	args := []any{at, run.ID}
	for _, id := range ran {
		args = append(args, id)
	}
	args = append(args, run.ID, run.ID)
	if len(f.Accounts) > 0 {
		resolve += ` AND f.account_id IN (` + placeholders(len(f.Accounts)) + `)`
		for _, a := range f.Accounts {
			args = append(args, a)
		}
	}
	if len(f.Regions) > 0 {
		resolve += ` AND (f.region IN (` + placeholders(len(f.Regions)) + `) OR f.region = 'global')`
		for _, r := range f.Regions {
			args = append(args, r)
		}
	}
	stmts = append(stmts, struct {
		what string
		sql  string
		args []any
	}{"resolve findings", resolve, args})

	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return nil
}

// sqlTime returns a TIMESTAMPTZ literal. DuckDB 1.5 cannot bind
// parameters in the SET list of an UPDATE ... FROM, so that statement
// carries its values inline; they come from time.Time and int64 only.
func sqlTime(t time.Time) string {
	return "TIMESTAMPTZ '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "+00'"
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
