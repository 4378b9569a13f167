package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// AtVariable is the DuckDB variable that present-state views read. When it
// is set (SET VARIABLE stance_at = TIMESTAMPTZ '...'), every resource view
// shows the versions that were true at that moment.
const AtVariable = "stance_at"

// HistorySchema is the DuckDB schema holding one version table per resource
// table. history.aws_s3_bucket holds every version of every bucket, with
// its validity interval in _valid_from and _valid_to.
const HistorySchema = "history"

// Engine columns that every history table carries besides its own columns.
const (
	ColKey       = "_key"        // stable resource key, unique within a table
	ColHash      = "_hash"       // hash of the row's values, to detect change
	ColPartition = "_partition"  // partition that fetched the row, "account/region"
	ColValidFrom = "_valid_from" // sync time at which this version was first seen
	ColValidTo   = "_valid_to"   // sync time at which it changed or vanished; NULL while current
	ColRunID     = "_sync_run_id"
)

// Column types used by table definitions, in DuckDB syntax.
const (
	TypeText      = "VARCHAR"
	TypeInt       = "BIGINT"
	TypeFloat     = "DOUBLE"
	TypeBool      = "BOOLEAN"
	TypeTimestamp = "TIMESTAMPTZ"
	TypeJSON      = "JSON"
	TypeTextList  = "VARCHAR[]"
	TypeTags      = "MAP(VARCHAR, VARCHAR)"
)

// Column is one modelled column of a resource table.
type Column struct {
	Name        string
	Type        string
	Description string
}

// Schema describes a resource table to the store.
type Schema struct {
	Name        string
	Description string
	Columns     []Column
}

var identifierPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ValidIdentifier reports whether name can be used unquoted as a table or
// column name.
func ValidIdentifier(name string) bool { return identifierPattern.MatchString(name) }

func (s *Store) migrate(ctx context.Context) error {
	stmts := []string{
		`CREATE SCHEMA IF NOT EXISTS ` + HistorySchema,
		`CREATE SEQUENCE IF NOT EXISTS stance_sync_run_seq START 1`,
		`CREATE TABLE IF NOT EXISTS stance_sync_run (
			run_id BIGINT PRIMARY KEY,
			provider VARCHAR NOT NULL,
			source VARCHAR NOT NULL,
			sync_time TIMESTAMPTZ NOT NULL,
			started_at TIMESTAMPTZ NOT NULL,
			finished_at TIMESTAMPTZ,
			status VARCHAR NOT NULL,
			partitions_total BIGINT,
			partitions_ok BIGINT,
			partitions_blind_spot BIGINT,
			partitions_failed BIGINT,
			rows_fetched BIGINT,
			versions_added BIGINT,
			versions_closed BIGINT,
			error VARCHAR
		)`,
		`CREATE TABLE IF NOT EXISTS stance_sync_partition (
			run_id BIGINT NOT NULL,
			provider VARCHAR NOT NULL,
			table_name VARCHAR NOT NULL,
			account_id VARCHAR NOT NULL,
			region VARCHAR NOT NULL,
			started_at TIMESTAMPTZ,
			finished_at TIMESTAMPTZ,
			duration_ms BIGINT,
			status VARCHAR NOT NULL,
			rows_fetched BIGINT,
			error_code VARCHAR,
			error VARCHAR
		)`,
		`CREATE TABLE IF NOT EXISTS stance_table (
			table_name VARCHAR PRIMARY KEY,
			description VARCHAR
		)`,
		`CREATE TABLE IF NOT EXISTS stance_column (
			table_name VARCHAR NOT NULL,
			column_name VARCHAR NOT NULL,
			data_type VARCHAR NOT NULL,
			description VARCHAR,
			PRIMARY KEY (table_name, column_name)
		)`,
		// stance_now() is the moment a query is evaluated at: the
		// time-travel moment when set, else now. Controls that compare
		// ages use it so that --at judges ages at that moment.
		`CREATE OR REPLACE MACRO stance_now() AS coalesce(getvariable('` + AtVariable + `')::TIMESTAMPTZ, now())`,
		// The latest known state of every partition, for coverage questions
		// such as "which regions of which accounts are blind spots now".
		`CREATE OR REPLACE VIEW stance_coverage AS
			SELECT * EXCLUDE (rn) FROM (
				SELECT p.*, row_number() OVER (
					PARTITION BY provider, table_name, account_id, region
					ORDER BY run_id DESC) AS rn
				FROM stance_sync_partition p)
			WHERE rn = 1`,
	}
	for _, stmt := range stmts {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("prepare database schema: %w", err)
		}
	}
	return nil
}

// EnsureTable creates the history table and present-state view of a
// resource table, and adds the columns that a newer stance defines. Columns
// are never dropped or retyped, so stored history survives upgrades.
func (s *Store) EnsureTable(ctx context.Context, sc Schema) error {
	if !ValidIdentifier(sc.Name) {
		return fmt.Errorf("invalid table name %q: use lowercase letters, digits and underscores", sc.Name)
	}
	var defs []string
	for _, c := range sc.Columns {
		if !ValidIdentifier(c.Name) {
			return fmt.Errorf("table %s: invalid column name %q", sc.Name, c.Name)
		}
		defs = append(defs, fmt.Sprintf("%s %s", c.Name, c.Type))
	}
	defs = append(defs,
		ColKey+" VARCHAR NOT NULL",
		ColHash+" UBIGINT NOT NULL",
		ColPartition+" VARCHAR NOT NULL",
		ColValidFrom+" TIMESTAMPTZ NOT NULL",
		ColValidTo+" TIMESTAMPTZ",
		ColRunID+" BIGINT NOT NULL",
	)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create table %s: %w", sc.Name, err)
	}
	defer tx.Rollback()

	history := HistorySchema + "." + sc.Name
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", history, strings.Join(defs, ", "))); err != nil {
		return fmt.Errorf("create table %s: %w", history, err)
	}
	existing := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?`, HistorySchema, sc.Name)
	if err != nil {
		return fmt.Errorf("read columns of %s: %w", history, err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("read columns of %s: %w", history, err)
		}
		existing[name] = true
	}
	rows.Close()
	for _, c := range sc.Columns {
		if existing[c.Name] {
			continue
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", history, c.Name, c.Type)); err != nil {
			return fmt.Errorf("add column %s.%s: %w", sc.Name, c.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, viewSQL(sc)); err != nil {
		return fmt.Errorf("create view %s: %w", sc.Name, err)
	}
	if err := recordCatalog(ctx, tx, sc); err != nil {
		return err
	}
	return tx.Commit()
}

// EnsureTables calls EnsureTable for each schema whose history table or
// present-state view is missing or lacks a column, and skips the others.
// One catalog query decides, which spares a command that only reads, such
// as a check run, a transaction per table.
func (s *Store) EnsureTables(ctx context.Context, schemas []Schema) error {
	if len(schemas) == 0 {
		return nil
	}
	names := make([]any, len(schemas))
	for i, sc := range schemas {
		names[i] = sc.Name
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")

	rows, err := s.db.QueryContext(ctx, `SELECT c.table_name, c.column_name FROM information_schema.columns c
		JOIN information_schema.tables v ON v.table_name = c.table_name AND v.table_schema = 'main' AND v.table_type = 'VIEW'
		WHERE c.table_schema = ? AND c.table_name IN (`+marks+`)`, append([]any{HistorySchema}, names...)...)
	if err != nil {
		return fmt.Errorf("read the columns of %d tables: %w", len(schemas), err)
	}
	existing := map[string]map[string]bool{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			rows.Close()
			return fmt.Errorf("read the columns of %d tables: %w", len(schemas), err)
		}
		if existing[table] == nil {
			existing[table] = map[string]bool{}
		}
		existing[table][column] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the columns of %d tables: %w", len(schemas), err)
	}

	for _, sc := range schemas {
		cols := existing[sc.Name]
		current := cols != nil
		for _, c := range sc.Columns {
			current = current && cols[c.Name]
		}
		if current {
			continue
		}
		if err := s.EnsureTable(ctx, sc); err != nil {
			return err
		}
	}
	return nil
}

// viewSQL returns the statement that creates the present-state view of a
// table. The view shows the open versions, or, when stance_at is set, the
// versions whose validity interval contains that moment. DuckDB folds
// getvariable into a constant, so the filter costs one comparison per row.
func viewSQL(sc Schema) string {
	names := make([]string, len(sc.Columns))
	for i, c := range sc.Columns {
		names[i] = c.Name
	}
	at := fmt.Sprintf("getvariable('%s')::TIMESTAMPTZ", AtVariable)
	return fmt.Sprintf(`CREATE OR REPLACE VIEW %s AS SELECT %s FROM %s.%s WHERE CASE WHEN %s IS NULL THEN %s IS NULL ELSE %s <= %s AND (%s IS NULL OR %s > %s) END`,
		sc.Name, strings.Join(names, ", "), HistorySchema, sc.Name,
		at, ColValidTo, ColValidFrom, at, ColValidTo, ColValidTo, at)
}

// recordCatalog stores the table's description and column descriptions, so
// that SQL clients see them in stance_table and stance_column.
func recordCatalog(ctx context.Context, tx *sql.Tx, sc Schema) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO stance_table VALUES (?, ?)`, sc.Name, sc.Description); err != nil {
		return fmt.Errorf("record table %s: %w", sc.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM stance_column WHERE table_name = ?`, sc.Name); err != nil {
		return fmt.Errorf("record columns of %s: %w", sc.Name, err)
	}
	for _, c := range sc.Columns {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stance_column VALUES (?, ?, ?, ?)`, sc.Name, c.Name, c.Type, c.Description); err != nil {
			return fmt.Errorf("record column %s.%s: %w", sc.Name, c.Name, err)
		}
	}
	return nil
}
