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

// Tags must hash as the OrderedMap that tables.Convert returned for them
// before Tags existed, or the first sync after an upgrade would add a
// version of every tagged resource.
func TestNewRowHashTagsAsOrderedMap(t *testing.T) {
	var ordered duckdb.OrderedMap
	ordered.Set("env", "prod")
	ordered.Set("team", "")
	tests := []struct {
		name    string
		tags    Tags
		ordered duckdb.OrderedMap
	}{
		{"two tags", Tags{Keys: []string{"env", "team"}, Values: []string{"prod", ""}}, ordered},
		{"no tags", Tags{}, duckdb.OrderedMap{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewRow("k", []any{"x", tt.tags})
			if err != nil {
				t.Fatal(err)
			}
			b, err := NewRow("k", []any{"x", tt.ordered})
			if err != nil {
				t.Fatal(err)
			}
			if a.Hash != b.Hash {
				t.Errorf("hash of Tags %#x, of the OrderedMap %#x, want equal", a.Hash, b.Hash)
			}
		})
	}
}
