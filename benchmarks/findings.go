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

	// Results go in with an appender per control: a benchmark over a large
	// estate returns a row per resource and control. Only the columns that
	// differ between rows are appended, and the insert adds the run's and
	// the control's values, which halves the values converted per row.
	for _, o := range run.Outcomes {
		if len(o.Results) == 0 {
			continue
		}
		if err := appendResults(conn, run, o, name, version, revision); err != nil {
			return fmt.Errorf("save check results of %s: %w", o.Control.ID, err)
		}
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

// resultColumns are the columns of stance_check_result that differ from
// one result of a control to the next.
var resultColumns = []struct{ name, typ string }{
	{"resource", "VARCHAR"}, {"status", "VARCHAR"}, {"reason", "VARCHAR"},
	{"account_id", "VARCHAR"}, {"region", "VARCHAR"}, {"remediation_command", "VARCHAR"},
	{"suppressed", "BOOLEAN"}, {"suppression_reason", "VARCHAR"},
}

// appendResults stores the results of one control of a run.
func appendResults(conn *sql.Conn, run *Run, o Outcome, benchmark, version, revision any) error {
	names := make([]string, len(resultColumns))
	types := make([]duckdb.TypeInfo, len(resultColumns))
	for i, c := range resultColumns {
		names[i] = c.name
		t := duckdb.TYPE_VARCHAR
		if c.typ == "BOOLEAN" {
			t = duckdb.TYPE_BOOLEAN
		}
		info, err := duckdb.NewTypeInfo(t)
		if err != nil {
			return err
		}
		types[i] = info
	}
	query := fmt.Sprintf(`INSERT INTO stance_check_result (run_id, benchmark, version, revision, control_id, sql_hash, severity,
			%s, evaluated_at)
		SELECT %d, %s, %s, %s, %s, %s, %s, %s, %s FROM results`,
		strings.Join(names, ", "), run.ID, sqlLiteral(benchmark), sqlLiteral(version), sqlLiteral(revision),
		sqlLiteral(o.Control.ID), sqlLiteral(o.Control.SQLHash), sqlLiteral(o.Control.Severity),
		strings.Join(names, ", "), sqlTime(run.EvaluatedAt))
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewQueryAppender(dc.(driver.Conn), query, "results", types, names)
		if err != nil {
			return err
		}
		for _, r := range o.Results {
			// Severity is the control's for every result, as evaluate sets it.
			err := a.AppendRow(r.Resource, r.Status, r.Reason, nullText(r.AccountID), nullText(r.Region),
				nullText(r.RemediationCommand), r.Suppressed, nullText(r.SuppressionReason))
			if err != nil {
				a.Close()
				return err
			}
		}
		return a.Close()
	})
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
