package store

import (
	"context"
	"testing"
)

// TestEnsureTables creates a missing table, adds a column that an upgrade
// brought, and leaves a current table alone.
func TestEnsureTables(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	old := Schema{Name: "test_widget", Description: "widgets", Columns: []Column{{Name: "account_id", Type: "VARCHAR"}}}
	if err := st.EnsureTables(ctx, []Schema{old}); err != nil {
		t.Fatal(err)
	}

	upgraded := old
	upgraded.Columns = append(append([]Column(nil), old.Columns...), Column{Name: "size_gb", Type: "BIGINT"})
	other := Schema{Name: "test_gadget", Description: "gadgets", Columns: []Column{{Name: "region", Type: "VARCHAR"}}}
	if err := st.EnsureTables(ctx, []Schema{upgraded, other}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT account_id, size_gb FROM test_widget", "SELECT region FROM test_gadget"} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}

	// A current table is skipped: its catalog row, changed by hand, stays.
	if _, err := st.DB().ExecContext(ctx, `UPDATE stance_table SET description = 'edited' WHERE table_name = 'test_gadget'`); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureTables(ctx, []Schema{upgraded, other}); err != nil {
		t.Fatal(err)
	}
	var desc string
	if err := st.DB().QueryRowContext(ctx, `SELECT description FROM stance_table WHERE table_name = 'test_gadget'`).Scan(&desc); err != nil {
		t.Fatal(err)
	}
	if desc != "edited" {
		t.Errorf("description %q: EnsureTables rewrote a current table", desc)
	}
}
