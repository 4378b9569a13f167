package export

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stance-cspm/stance/internal/store"
)

// StateTable is the table that records what each history export wrote,
// one row per export and table. --since-last reads it to find where the
// previous export into the same folder stopped.
const StateTable = "stance_export"

const stateSchema = `CREATE TABLE IF NOT EXISTS ` + StateTable + ` (
	export_id VARCHAR NOT NULL,
	out_dir VARCHAR NOT NULL,
	table_name VARCHAR NOT NULL,
	mode VARCHAR NOT NULL,
	exported_at TIMESTAMPTZ NOT NULL,
	from_sync_run_id BIGINT,
	through_sync_run_id BIGINT,
	from_check_run_id BIGINT,
	through_check_run_id BIGINT,
	rows BIGINT NOT NULL,
	PRIMARY KEY (export_id, table_name)
)`

// tableState is how far earlier exports into one folder covered a table.
type tableState struct {
	throughSync  int64
	throughCheck int64
}

// readState returns, per table, the newest sync and check runs that
// earlier history exports into outDir covered. A database that never
// recorded an export has no state table and returns an empty map.
func readState(ctx context.Context, conn *sql.Conn, outDir string) (map[string]tableState, error) {
	state := map[string]tableState{}
	ok, err := tableExists(ctx, conn, "main", StateTable)
	if err != nil || !ok {
		return state, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT table_name, max(coalesce(through_sync_run_id, 0)), max(coalesce(through_check_run_id, 0))
		FROM `+StateTable+` WHERE out_dir = ? GROUP BY table_name`, outDir)
	if err != nil {
		return nil, fmt.Errorf("read export state: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var st tableState
		if err := rows.Scan(&name, &st.throughSync, &st.throughCheck); err != nil {
			return nil, fmt.Errorf("read export state: %w", err)
		}
		state[name] = st
	}
	return state, rows.Err()
}

// mergeManifestState raises the state from the database to what the
// folder's previous manifest records. The two differ only when an export
// wrote its files and manifest but could not record its state, for example
// because a sync held the database. The manifest then keeps the next
// --since-last from writing the same versions again.
func mergeManifestState(state map[string]tableState, prev *Manifest, database string) {
	if prev == nil || prev.Database != database || prev.Layout != LayoutHistory {
		return
	}
	for _, t := range prev.Tables {
		st := state[t.Name]
		st.throughSync = max(st.throughSync, t.ThroughSyncRunID)
		st.throughCheck = max(st.throughCheck, t.ThroughCheckRunID)
		state[t.Name] = st
	}
}

// recordState opens the database for writing, briefly, and stores what the
// export covered. It is the only write of an export.
func recordState(ctx context.Context, dbPath string, m *Manifest) error {
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	db := st.DB()
	if _, err := db.ExecContext(ctx, stateSchema); err != nil {
		return fmt.Errorf("create %s: %w", StateTable, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record export state: %w", err)
	}
	defer tx.Rollback()
	for _, t := range m.Tables {
		_, err := tx.ExecContext(ctx, `INSERT INTO `+StateTable+` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ExportID, m.OutDir, t.Name, string(m.Mode), m.ExportedAt,
			t.FromSyncRunID, t.ThroughSyncRunID, t.FromCheckRunID, t.ThroughCheckRunID, t.Rows)
		if err != nil {
			return fmt.Errorf("record export state of %s: %w", t.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record export state: %w", err)
	}
	return nil
}
