package queries_test

import (
	"context"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/queries"
	"github.com/stance-cspm/stance/tables"
	_ "github.com/stance-cspm/stance/tables/aws"
)

// TestNamedQueriesBind prepares every named query against an empty
// database with every table, so a renamed column breaks the build's tests
// instead of a user's command.
func TestNamedQueriesBind(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tbl := range tables.All() {
		if err := st.EnsureTable(ctx, tbl.Schema()); err != nil {
			t.Fatal(err)
		}
	}
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no named queries found")
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			if q.Description == "" {
				t.Errorf("named query %s has no '-- description:' line", q.Name)
			}
			rows, err := st.DB().QueryContext(ctx, q.SQL)
			if err != nil {
				t.Fatalf("named query %s does not run on an empty database: %v", q.Name, err)
			}
			rows.Close()
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	if _, err := queries.Lookup("no_such_query"); err == nil {
		t.Fatal("got no error for an unknown query, want one")
	}
}
