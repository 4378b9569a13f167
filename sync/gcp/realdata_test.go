package gcp

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
	gcptables "github.com/stance-cspm/stance/tables/gcp"
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

// TestImportRealData imports every fixture file and checks that every
// asset of every file reaches its tables. Each distinct asset name with a
// resource must be in gcp_asset and in the table of its type, and each
// with an IAM policy in gcp_iam_policy.
func TestImportRealData(t *testing.T) {
	dir := realDataDir(t)
	off, err := NewOffline(OfflineOptions{Paths: []string{dir}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { off.Close() })
	total, warnings := 0, 0
	for _, f := range off.Files {
		total += f.Assets
		warnings += len(f.Warnings)
	}
	// The folder's index lists 114 files with 430 asset records, one of
	// them with a stray "]" after its array.
	if len(off.Files) != 114 || total != 430 || warnings != 1 {
		t.Errorf("read %d files, %d assets, %d warnings; want 114, 430, 1", len(off.Files), total, warnings)
	}

	resources := map[string]map[string]bool{} // asset type -> names
	policies := map[string]bool{}
	for _, f := range off.Files {
		if _, err := readFile(f.Path, func(a *gcpasset.Asset) error {
			if a.Resource != nil || a.AccessContextKind != "" {
				if resources[a.AssetType] == nil {
					resources[a.AssetType] = map[string]bool{}
				}
				resources[a.AssetType][a.Name] = true
			}
			if a.IAMPolicy != nil {
				policies[a.Name] = true
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}

	st := openStore(t)
	res, err := sync.Run(context.Background(), st, off, sync.Options{Concurrency: 2, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Failed() {
		t.Errorf("partition %s/%s %s: %s %s", p.AccountID, p.Region, p.Table, p.ErrorCode, p.Error)
	}

	// One fixture names a Bigtable instance under both its old and its new
	// asset type. gcp_asset is keyed by name, so it holds one row for both.
	allResources := map[string]bool{}
	for _, names := range resources {
		for name := range names {
			allResources[name] = true
		}
	}
	if got := queryInt(t, st, "SELECT count(DISTINCT asset_name) FROM gcp_asset"); got != len(allResources) {
		t.Errorf("gcp_asset has %d distinct assets, want %d", got, len(allResources))
	}
	if got := queryInt(t, st, "SELECT count(DISTINCT asset_name) FROM gcp_iam_policy"); got != len(policies) {
		t.Errorf("gcp_iam_policy has %d distinct assets, want %d", got, len(policies))
	}
	for _, table := range tables.ByProvider(gcptables.Provider) {
		types := gcptables.AssetTypes(table.Name)
		if types == nil {
			continue
		}
		want := 0
		for _, typ := range types {
			want += len(resources[typ])
		}
		got := queryInt(t, st, "SELECT count(DISTINCT asset_name) FROM "+table.Name)
		if got != want {
			t.Errorf("%s has %d distinct assets, want %d", table.Name, got, want)
		}
		t.Logf("%-30s %4d assets", table.Name, got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_iam_binding"); got == 0 {
		t.Error("gcp_iam_binding is empty")
	}
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_iam_audit_config WHERE log_type = 'DATA_READ'"); got == 0 {
		t.Error("gcp_iam_audit_config has no DATA_READ row, though the exports write log type 3")
	}
}

func TestOfflineLeavesNoSpoolFile(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	off, err := NewOffline(OfflineOptions{Paths: []string{worldFile}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	if res := runSync(t, st, off); res.Summary.Status != store.RunOK {
		t.Fatalf("import status %s", res.Summary.Status)
	}
	if err := off.Close(); err != nil {
		t.Fatal(err)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("%s left in the temporary folder", e.Name())
	}
}

func TestOfflineRejectsMalformedFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"name":"//a","asset_type":"t"},{"name":`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewOffline(OfflineOptions{Paths: []string{worldFile, bad}, Logger: quiet})
	if err == nil {
		t.Fatal("no error for a truncated file")
	}
	for _, want := range []string{"bad.json", "invalid JSON at byte"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
