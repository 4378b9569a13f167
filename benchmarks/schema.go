package benchmarks

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
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
		last_run_id BIGINT NOT NULL
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
	// A hash of the controls and crosswalk last written, so that an
	// unchanged pack is not written again on every run.
	`CREATE TABLE IF NOT EXISTS stance_pack_state (pack_hash VARCHAR NOT NULL)`,
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
	// The statements are built first, so that a pack that has not changed
	// since the last run, recognised by a hash of every value written, is
	// not written again.
	type stmt struct {
		action, sql string
		args        []any
	}
	var stmts []stmt
	if len(p.Controls) > 0 {
		var rows []string
		var args []any
		ids := make([]string, 0, len(p.Controls))
		for id := range p.Controls {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			c := p.Controls[id]
			rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?, ?)")
			args = append(args, c.ID, c.Title, c.Severity, c.Description, c.Rationale, c.Remediation, c.RemediationCommand,
				listLiteral(c.MitreAttack), listLiteral(c.References), listLiteral(c.Tables), c.SQLHash, c.Source)
		}
		stmts = append(stmts, stmt{"record controls", `INSERT OR REPLACE INTO stance_control VALUES ` + strings.Join(rows, ", "), args})
	}
	for _, b := range p.Benchmarks {
		action := "record crosswalk of " + b.Ref()
		stmts = append(stmts, stmt{action, `DELETE FROM stance_control_mapping WHERE benchmark = ? AND version = ?`, []any{b.Name, b.Version}})
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
		if len(rows) > 0 {
			stmts = append(stmts, stmt{action, `INSERT INTO stance_control_mapping VALUES ` + strings.Join(rows, ", "), args})
		}
	}
	sum := sha256.New()
	for _, s := range stmts {
		fmt.Fprintf(sum, "%s\x00%q\x00", s.sql, s.args)
	}
	hash := hex.EncodeToString(sum.Sum(nil))
	var recorded string
	err := db.QueryRowContext(ctx, `SELECT pack_hash FROM stance_pack_state`).Scan(&recorded)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read the recorded pack: %w", err)
	}
	if recorded == hash {
		return nil
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record controls: %w", err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("%s: %w", s.action, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM stance_pack_state`); err != nil {
		return fmt.Errorf("record the pack: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stance_pack_state VALUES (?)`, hash); err != nil {
		return fmt.Errorf("record the pack: %w", err)
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
