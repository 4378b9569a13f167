package benchmarks

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// save stores a run and the results that evaluate collected in the scratch
// table, then moves the findings of the
// controls that ran: a failing resource opens a finding or reopens a
// resolved one, and an open finding whose resource now passes or is gone
// is resolved. Blind spots, errors and runs in the past change no finding.
func save(ctx context.Context, db *sql.DB, run *Run, scratch string, f Filters, timeTravel, passes bool, started time.Time, log *slog.Logger) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	defer conn.Close()
	// One transaction holds the run, its results and the findings, so a
	// failure leaves none of them.
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
	_, err = tx.ExecContext(ctx, `INSERT INTO stance_check_run (run_id, benchmark, version, revision, started_at, finished_at,
			evaluated_at, time_travel, filters, controls, passed, failed, errors, skipped, passes_stored)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run.ID, name, version, revision, started.UTC(), time.Now().UTC(), run.EvaluatedAt, timeTravel, string(filters),
		len(run.Outcomes), counts[StatusPass], counts[StatusFail], counts[StatusError], counts[StatusSkip], passes)
	if err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	if err := saveControls(ctx, tx, run); err != nil {
		return err
	}
	// One INSERT of all results lets DuckDB write them compressed
	// straight into the database file, where an INSERT per control would
	// first write each row uncompressed to the write-ahead log.
	// The run's results: the scratch rows with their control's id and
	// severity, passes that were only counted left out.
	var controls []string
	for i, o := range run.Outcomes {
		controls = append(controls, fmt.Sprintf("(%d, %s, %s, %s)", i, sqlLiteral(o.Control.ID), sqlLiteral(o.Control.SQLHash), sqlLiteral(o.Control.Severity)))
	}
	results := `(SELECT c.control_id, c.sql_hash, c.severity, s.* EXCLUDE (ctl)
		FROM ` + scratch + ` s JOIN (VALUES ` + strings.Join(controls, ", ") + `) c(ctl, control_id, sql_hash, severity) USING (ctl)
		WHERE s.resource IS NOT NULL)`
	step := time.Now()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO stance_check_result (run_id, benchmark, version, revision,
			control_id, sql_hash, severity, resource, status, reason, account_id, region, remediation_command,
			suppressed, suppression_reason, evaluated_at)
		SELECT %d, %s, %s, %s, control_id, sql_hash, severity, resource, status, reason, account_id, region,
			remediation_command, suppressed, suppression_reason, %s FROM %s`,
		run.ID, sqlLiteral(name), sqlLiteral(version), sqlLiteral(revision), sqlTime(run.EvaluatedAt), results)); err != nil {
		return fmt.Errorf("save check results: %w", err)
	}
	log.Debug("stored check results", "run_id", run.ID, "duration", time.Since(step))

	if !timeTravel {
		if err := updateFindings(ctx, tx, run, results, f, log); err != nil {
			return err
		}
	}
	step = time.Now()
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("save check run: %w", err)
	}
	committed = true
	log.Debug("committed check run", "run_id", run.ID, "duration", time.Since(step))
	return nil
}

// saveControls records each control of a run with its counts.
func saveControls(ctx context.Context, tx *sql.Conn, run *Run) error {
	if len(run.Outcomes) == 0 {
		return nil
	}
	var rows []string
	var args []any
	for _, o := range run.Outcomes {
		var errText any
		if o.Err != nil {
			errText = o.Err.Error()
		}
		rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, run.ID, o.Control.ID, o.Control.SQLHash, o.Control.Severity,
			o.Counts[StatusPass], o.Counts[StatusFail], o.Suppressed, o.Counts[StatusError], o.Counts[StatusSkip],
			o.Counts[StatusInfo], o.Duration.Milliseconds(), errText)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stance_check_control VALUES `+strings.Join(rows, ", "), args...); err != nil {
		return fmt.Errorf("save the controls of check run %d: %w", run.ID, err)
	}
	return nil
}

// sqlLiteral returns a SQL literal of a string, an int or nil.
func sqlLiteral(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'"
	case int:
		return fmt.Sprint(x)
	}
	panic(fmt.Sprintf("sqlLiteral: unsupported type %T", v))
}

// updateFindings moves the findings of the controls that ran, from the
// run's results, which the relation results returns.
func updateFindings(ctx context.Context, tx *sql.Conn, run *Run, results string, f Filters, log *slog.Logger) error {
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
	runID := fmt.Sprint(run.ID)
	// failing is the failing results of the run, one row per resource.
	failing := `(SELECT control_id, resource, any_value(reason) AS reason, any_value(severity) AS severity,
			any_value(remediation_command) AS remediation_command, bool_and(suppressed) AS suppressed
		FROM ` + results + ` WHERE status = 'fail' GROUP BY control_id, resource)`
	stmts := []struct {
		what string
		sql  string
		args []any
	}{
		{"open new findings", `INSERT INTO stance_finding
			SELECT control_id, resource, any_value(account_id), any_value(region), any_value(severity),
				CASE WHEN bool_and(suppressed) THEN 'suppressed' ELSE 'open' END, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ, NULL, 0,
				any_value(reason), any_value(remediation_command), ?::BIGINT
			FROM ` + results + ` r
			WHERE status = 'fail'
			  AND NOT EXISTS (SELECT 1 FROM stance_finding f WHERE f.control_id = r.control_id AND f.resource = r.resource)
			GROUP BY control_id, resource`, []any{at, at, run.ID}},
		// A finding whose status, reason, severity or command changed gets
		// every column. The findings opened above already carry this run's
		// id, so neither update touches them.
		{"update changed findings", `UPDATE stance_finding AS f SET
				status = CASE WHEN r.suppressed THEN 'suppressed' ELSE 'open' END,
				reopen_count = f.reopen_count + CASE WHEN f.status = 'resolved' THEN 1 ELSE 0 END,
				resolved_at = NULL, last_seen = ` + sqlTime(at) + `, reason = r.reason, severity = r.severity,
				remediation_command = r.remediation_command, last_run_id = ` + runID + `
			FROM ` + failing + ` r
			WHERE f.control_id = r.control_id AND f.resource = r.resource AND f.last_run_id <> ` + runID + `
			  AND (f.status IS DISTINCT FROM CASE WHEN r.suppressed THEN 'suppressed' ELSE 'open' END
				OR f.reason IS DISTINCT FROM r.reason OR f.severity IS DISTINCT FROM r.severity
				OR f.remediation_command IS DISTINCT FROM r.remediation_command)`, nil},
		// Every other failing finding only moves its last sighting.
		{"update findings seen again", `UPDATE stance_finding AS f SET last_seen = ` + sqlTime(at) + `, last_run_id = ` + runID + `
			FROM ` + failing + ` r
			WHERE f.control_id = r.control_id AND f.resource = r.resource AND f.last_run_id <> ` + runID, nil},
	}
	// Resolve open findings of the controls that ran, unless the resource
	// still fails, or sits in an account and region the run could not
	// evaluate (a blind spot), or lies outside the run's filters. A finding
	// that failed in this run already carries the run's id, so only the
	// error and skip results are searched.
	resolve := `UPDATE stance_finding AS f SET status = 'resolved', resolved_at = ?::TIMESTAMPTZ, last_run_id = ?::BIGINT
		WHERE f.status IN ('open', 'suppressed') AND f.last_run_id <> ` + runID + ` AND f.control_id IN (` + placeholders(len(ran)) + `)
		  AND NOT EXISTS (SELECT 1 FROM ` + results + ` r WHERE r.control_id = f.control_id
				AND r.resource = f.resource AND r.status IN ('error', 'skip'))
		  AND NOT EXISTS (SELECT 1 FROM ` + results + ` r WHERE r.control_id = f.control_id
				AND r.status = 'skip' AND (r.account_id IS NULL OR (r.account_id = f.account_id AND (r.region = f.region OR r.region = 'global'))))`
	args := []any{at, run.ID}
	for _, id := range ran {
		args = append(args, id)
	}
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
		step := time.Now()
		res, err := tx.ExecContext(ctx, s.sql, s.args...)
		if err != nil {
			return fmt.Errorf("%s: %w", s.what, err)
		}
		n, _ := res.RowsAffected()
		log.Debug(s.what, "run_id", run.ID, "rows", n, "duration", time.Since(step))
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
