package cli

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	emulator "github.com/stance-cspm/stance/internal/emulator/gcpasset"
)

const gcpWorld = "../../sync/gcp/testdata/world.jsonl"

func TestSyncGCPFromFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gcp.duckdb")
	code, out, errOut := stance(t, "", "sync", "gcp", "--db", db, "--from-file", gcpWorld, "--log-level", "error")
	if code != ExitOK {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	code, out, _ = stance(t, "", "sync", "gcp", "--db", db, "--from-file", gcpWorld, "--log-level", "error")
	if code != ExitOK {
		t.Errorf("re-sync: exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "0 new versions") {
		t.Errorf("unchanged re-sync: summary does not say 0 new versions:\n%s", out)
	}
	code, out, _ = stance(t, "", "query", "--db", db, "--format", "csv", "SELECT name FROM gcp_storage_bucket WHERE account_id = 'gamma-dev'")
	if code != ExitOK || !strings.Contains(out, "gamma-dev-logs") {
		t.Errorf("query: exit %d, output %q, want the gamma-dev bucket", code, out)
	}
}

func TestSyncGCPLiveDeniedProject(t *testing.T) {
	assets, err := emulator.LoadWorld(gcpWorld)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emulator.Config{Assets: assets, PageSize: 3, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Faults: map[string]*emulator.Faults{"projects/beta-prod": {Deny: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	db := filepath.Join(t.TempDir(), "gcp.duckdb")
	code, out, errOut := stance(t, "", "sync", "gcp", "--db", db, "--endpoint", srv.Addr(),
		"--project", "alpha-prod", "--project", "beta-prod", "--log-level", "error")
	if code != ExitPartial {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitPartial, out, errOut)
	}
	if !strings.Contains(out, "beta-prod/global") || !strings.Contains(out, "PermissionDenied") {
		t.Errorf("summary does not list beta-prod as PermissionDenied:\n%s", out)
	}
}

func TestSyncGCPErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gcp.duckdb")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing to read", []string{"sync", "gcp", "--db", db}, "pass --project, --folder or --organization"},
		{"file with organization", []string{"sync", "gcp", "--db", db, "--from-file", gcpWorld, "--organization", "1"}, "--from-file reads files only"},
		{"organization name", []string{"sync", "gcp", "--db", db, "--organization", "example.com"}, `invalid organization or folder ID "example.com"`},
		{"missing file", []string{"sync", "gcp", "--db", db, "--from-file", filepath.Join(t.TempDir(), "none.json")}, "none.json"},
		{"unknown project in files", []string{"sync", "gcp", "--db", db, "--from-file", gcpWorld, "--project", "nope"}, "--project nope"},
		{"page size", []string{"sync", "gcp", "--db", db, "--project", "p", "--page-size", "5000"}, "invalid page size 5000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := stance(t, "", tt.args...)
			if code == ExitOK {
				t.Fatalf("exit 0, want an error\n%s", out)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.want)
			}
		})
	}
}
