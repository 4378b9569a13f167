package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stance-cspm/stance/internal/demo/gcpworld"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncgcp "github.com/stance-cspm/stance/sync/gcp"
)

const (
	awsTitle = "CIS Amazon Web Services Foundations Benchmark"
	gcpTitle = "CIS Google Cloud Platform Foundation Benchmark"
)

// gcpOnlyDatabase imports the demo GCP organisation, and nothing else,
// into a new database file.
func gcpOnlyDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	export := filepath.Join(dir, gcpworld.FileName)
	if err := os.WriteFile(export, gcpworld.World(), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "gcp.duckdb")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := syncgcp.NewOffline(syncgcp.OfflineOptions{Paths: []string{export}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sync.Run(ctx, st, p, sync.Options{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCheckDefaultPerProvider(t *testing.T) {
	tests := []struct {
		name    string
		db      func(t *testing.T) string
		want    []string
		notWant []string
	}{
		{"empty database", func(t *testing.T) string { return filepath.Join(t.TempDir(), "empty.duckdb") }, []string{awsTitle}, []string{gcpTitle}},
		{"gcp only", gcpOnlyDatabase, []string{gcpTitle}, []string{awsTitle}},
		{"aws and gcp", demoDatabase, []string{awsTitle, gcpTitle}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := tt.db(t)
			code, out, errOut := stance(t, "", "check", "--db", db)
			if code != ExitOK {
				t.Fatalf("check: exit %d: %s", code, errOut)
			}
			for _, s := range tt.want {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(out, s) {
					t.Errorf("output contains %q, want it left out", s)
				}
			}
		})
	}
}

func TestCheckDefaultJSONNeedsOneBenchmark(t *testing.T) {
	db := demoDatabase(t)
	code, _, errOut := stance(t, "", "check", "--db", db, "--format", "json")
	if code == ExitOK {
		t.Fatal("check --format json over two providers: exit 0, want an error")
	}
	if !strings.Contains(errOut, "cis_aws@") || !strings.Contains(errOut, "cis_gcp@4.0.0") || !strings.Contains(errOut, "name one benchmark") {
		t.Errorf("error does not name the benchmarks and the fix: %s", errOut)
	}

	code, out, errOut := stance(t, "", "check", "--db", db, "--format", "json", "cis_gcp@4.0.0")
	if code != ExitOK {
		t.Fatalf("check cis_gcp@4.0.0 --format json: exit %d: %s", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json report does not parse: %v", err)
	}
	if !strings.Contains(out, `"cis_gcp"`) {
		t.Errorf("json report does not name cis_gcp")
	}
}

func TestCheckDefaultFailOnCoversEveryProvider(t *testing.T) {
	db := gcpOnlyDatabase(t)
	code, _, errOut := stance(t, "", "check", "--db", db, "--fail-on", "critical")
	if code != ExitFindings {
		t.Fatalf("check --fail-on critical over the GCP demo: exit %d, want %d: %s", code, ExitFindings, errOut)
	}
}

func TestCheckListShowsGCP(t *testing.T) {
	code, out, errOut := stance(t, "", "check", "--list")
	if code != ExitOK {
		t.Fatalf("check --list: exit %d: %s", code, errOut)
	}
	for _, s := range []string{"cis_gcp@4.0.0", "cis_aws@6.0.0", "gcp_storage_bucket_not_public"} {
		if !strings.Contains(out, s) {
			t.Errorf("check --list lacks %s", s)
		}
	}
}
