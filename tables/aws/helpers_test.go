package aws

import (
	"context"
	"testing"

	"github.com/stance-cspm/stance/tables"
)

// collect runs one table's fetch function against c and returns the
// records it emitted, after checking that each converts into a row.
func collect(t *testing.T, name string, c *Clients) []tables.Record {
	t.Helper()
	tbl, ok := tables.Lookup(name)
	if !ok {
		t.Fatalf("table %s is not registered", name)
	}
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
	var recs []tables.Record
	err := tbl.Fetch(context.Background(), target, func(r tables.Record) error {
		if _, err := tbl.Row(target, r); err != nil {
			t.Errorf("table %s: record does not convert to a row: %v", name, err)
		}
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		t.Fatalf("fetch %s: %v", name, err)
	}
	return recs
}
