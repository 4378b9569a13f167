package gcp

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
)

// realDataDir returns the folder of Cloud Asset Inventory fixtures from
// GoogleCloudPlatform/policy-library (Apache-2.0), which lives beside the
// repository and not in it, or below $STANCE_REALDATA when that is set (for
// a git worktree placed elsewhere). The test is skipped without it.
func realDataDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "realdata")
	if env := os.Getenv("STANCE_REALDATA"); env != "" {
		root = env
	}
	dir := filepath.Join(root, "gcp-cai-policy-library")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real Cloud Asset Inventory fixtures not found at %s: %v", dir, err)
	}
	return dir
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "stance.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func queryInt(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestImportRealData(t *testing.T) {
	dir := realDataDir(t)
	off, err := NewOffline(OfflineOptions{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range off.Files {
		total += f.Assets
		for _, w := range f.Warnings {
			t.Logf("%s: %s", f.Path, w)
		}
	}
	t.Logf("%d files, %d assets", len(off.Files), total)
	st := openStore(t)
	res, err := sync.Run(context.Background(), st, off, sync.Options{Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Failed() {
		t.Errorf("partition %s/%s %s: %s %s", p.AccountID, p.Region, p.Table, p.ErrorCode, p.Error)
	}
	rows, err := st.DB().Query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'gcp_%' AND table_type = 'VIEW' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	for _, n := range names {
		t.Logf("%-32s %d", n, queryInt(t, st, "SELECT count(*) FROM "+n))
	}
}
