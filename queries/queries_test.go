package queries_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/queries"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
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

// TestNamedQueriesOnDemoWorld runs every named query over the synced demo
// estate, where each planted misconfiguration must show up.
func TestNamedQueriesOnDemoWorld(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fsys, root := demo.World()
	p, err := syncaws.NewOfflineFS(fsys, root, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sync.Run(ctx, st, p, sync.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"aws_s3_public_buckets":             1,
		"aws_ec2_imdsv1_public_instances":   1,
		"aws_vpc_admin_ports_open_to_world": 2,
		"aws_iam_roles_with_admin_access":   3,
		"aws_iam_root_access_keys":          1,
		"aws_iam_console_users_without_mfa": 1,
		"aws_kms_keys_without_rotation":     1,
		"aws_rds_public_or_unencrypted":     1,
	}
	all, err := queries.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range all {
		t.Run(q.Name, func(t *testing.T) {
			rows, err := st.DB().QueryContext(ctx, q.SQL)
			if err != nil {
				t.Fatalf("named query %s failed on the demo estate: %v", q.Name, err)
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("named query %s failed on the demo estate: %v", q.Name, err)
			}
			if w, ok := want[q.Name]; ok && n != w {
				t.Errorf("named query %s: got %d rows, want %d", q.Name, n, w)
			}
		})
	}
}
