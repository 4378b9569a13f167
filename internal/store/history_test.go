package store

import (
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

func TestNewRowHash(t *testing.T) {
	base := []any{"bucket", duckdb.Map{"owner": "a", "env": "prod"}, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), []any{"x"}}
	same := []any{"bucket", duckdb.Map{"env": "prod", "owner": "a"}, time.Date(2026, 1, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)), []any{"x"}}
	changed := []any{"bucket", duckdb.Map{"owner": "b", "env": "prod"}, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), []any{"x"}}

	h := func(values []any) uint64 {
		t.Helper()
		r, err := NewRow("k", values)
		if err != nil {
			t.Fatal(err)
		}
		return r.Hash
	}
	if h(base) != h(same) {
		t.Errorf("equal values in another map order or time zone: hashes differ")
	}
	if h(base) == h(changed) {
		t.Errorf("a changed tag value: hashes are equal, want different")
	}
}
