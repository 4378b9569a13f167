package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// schema creates the tables that keep check runs, results, findings,
// suppressions and the crosswalk of controls to benchmark requirements.
var schema = []string{
	`CREATE SEQUENCE IF NOT EXISTS stance_check_run_seq START 1`,
	`CREATE TABLE IF NOT EXISTS stance_check_run (
		run_id BIGINT PRIMARY KEY,
		benchmark VARCHAR,
		version VARCHAR,
		revision INTEGER,
		started_at TIMESTAMPTZ NOT NULL,
		finished_at TIMESTAMPTZ,
		evaluated_at TIMESTAMPTZ NOT NULL,
		time_travel BOOLEAN NOT NULL,
		filters VARCHAR,
		controls BIGINT,
		passed BIGINT,
		failed BIGINT,
		errors BIGINT,
		skipped BIGINT
	)`,
	`CREATE TABLE IF NOT EXISTS stance_check_result (
		run_id BIGINT NOT NULL,
		benchmark VARCHAR,
		version VARCHAR,
		revision INTEGER,
		control_id VARCHAR NOT NULL,
		sql_hash VARCHAR NOT NULL,
		severity VARCHAR NOT NULL,
		resource VARCHAR NOT NULL,
		status VARCHAR NOT NULL,
		reason VARCHAR NOT NULL,
		account_id VARCHAR,
		region VARCHAR,
		remediation_command VARCHAR,
		suppressed BOOLEAN NOT NULL,
		suppression_reason VARCHAR,
		evaluated_at TIMESTAMPTZ NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS stance_finding (
		control_id VARCHAR NOT NULL,
		resource VARCHAR NOT NULL,
		account_id VARCHAR,
		region VARCHAR,
		severity VARCHAR NOT NULL,
		status VARCHAR NOT NULL,
		first_seen TIMESTAMPTZ NOT NULL,
		last_seen TIMESTAMPTZ NOT NULL,
		resolved_at TIMESTAMPTZ,
		reopen_count INTEGER NOT NULL,
		reason VARCHAR,
		remediation_command VARCHAR,
		last_run_id BIGINT NOT NULL,
		PRIMARY KEY (control_id, resource)
	)`,
	`CREATE SEQUENCE IF NOT EXISTS stance_suppression_seq START 1`,
	`CREATE TABLE IF NOT EXISTS stance_suppression (
		suppression_id BIGINT PRIMARY KEY,
		control_pattern VARCHAR NOT NULL,
		resource_pattern VARCHAR NOT NULL,
		reason VARCHAR NOT NULL,
		author VARCHAR NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		expires_at TIMESTAMPTZ
	)`,
	`CREATE TABLE IF NOT EXISTS stance_control (
		control_id VARCHAR PRIMARY KEY,
		title VARCHAR,
		severity VARCHAR,
		description VARCHAR,
		rationale VARCHAR,
		remediation VARCHAR,
		remediation_command VARCHAR,
		mitre_attack VARCHAR[],
		references_ VARCHAR[],
		tables_read VARCHAR[],
		sql_hash VARCHAR,
		source VARCHAR
	)`,
	`CREATE TABLE IF NOT EXISTS stance_control_mapping (
		benchmark VARCHAR NOT NULL,
		version VARCHAR NOT NULL,
		revision INTEGER NOT NULL,
		requirement_id VARCHAR NOT NULL,
		requirement_title VARCHAR,
		section VARCHAR,
		profile VARCHAR,
		assessment VARCHAR,
		control_id VARCHAR
	)`,
	// Open findings with their age, for "what has been failing longest".
	`CREATE OR REPLACE VIEW stance_open_finding AS
		SELECT f.*, now() - f.first_seen AS age, c.title
		FROM stance_finding f LEFT JOIN stance_control c USING (control_id)
		WHERE f.status IN ('open', 'suppressed')`,
	// One row per control of a run, with its counts: a run stores a row
	// per passing result only when asked to (Options.Passes), so the
	// passes are counted here.
	`CREATE TABLE IF NOT EXISTS stance_check_control (
		run_id BIGINT NOT NULL,
		control_id VARCHAR NOT NULL,
		sql_hash VARCHAR NOT NULL,
		severity VARCHAR NOT NULL,
		passed BIGINT NOT NULL,
		failed BIGINT NOT NULL,
		suppressed BIGINT NOT NULL,
		errors BIGINT NOT NULL,
		skipped BIGINT NOT NULL,
		info BIGINT NOT NULL,
		duration_ms BIGINT NOT NULL,
		error VARCHAR
	)`,
	// Whether the run stored a row for each passing result.
	`ALTER TABLE stance_check_run ADD COLUMN IF NOT EXISTS passes_stored BOOLEAN`,
}

// ensureSchema creates the check tables and stores the pack's controls and
// crosswalk, so both are queryable before and after any run.
func ensureSchema(ctx context.Context, db *sql.DB, p *Pack) error {
	for _, stmt := range schema {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("prepare check tables: %w", err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record controls: %w", err)
	}
	defer tx.Rollback()
	// One statement writes all controls and one each benchmark's
	// crosswalk, because a statement per row took about 0.2 s per run.
	if len(p.Controls) > 0 {
		var rows []string
		var args []any
		for _, c := range p.Controls {
			rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?, ?)")
			args = append(args, c.ID, c.Title, c.Severity, c.Description, c.Rationale, c.Remediation, c.RemediationCommand,
				listLiteral(c.MitreAttack), listLiteral(c.References), listLiteral(c.Tables), c.SQLHash, c.Source)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO stance_control VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return fmt.Errorf("record controls: %w", err)
		}
	}
	for _, b := range p.Benchmarks {
		if _, err := tx.ExecContext(ctx, `DELETE FROM stance_control_mapping WHERE benchmark = ? AND version = ?`, b.Name, b.Version); err != nil {
			return fmt.Errorf("record crosswalk of %s: %w", b.Ref(), err)
		}
		var rows []string
		var args []any
		for _, r := range b.Requirements {
			ids := r.Controls
			if len(ids) == 0 {
				ids = []string{""}
			}
			for _, id := range ids {
				rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, b.Name, b.Version, b.Revision, r.ID, r.Title, r.Section, r.Profile, r.Assessment, nullIfEmpty(id))
			}
		}
		if len(rows) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stance_control_mapping VALUES `+strings.Join(rows, ", "), args...); err != nil {
			return fmt.Errorf("record crosswalk of %s: %w", b.Ref(), err)
		}
	}
	return tx.Commit()
}

// listLiteral returns a DuckDB list literal text such as ['a', 'b'].
func listLiteral(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
