package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSuppressAddRejectsUnknownControl(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	tests := []struct {
		name     string
		control  string
		wantCode int
		wantErr  []string
	}{
		{"typo suggests closest", "aws_s3_bucket_public_access_blockd", ExitError, []string{`unknown control "aws_s3_bucket_public_access_blockd"`, "did you mean aws_s3_bucket_public_access_blocked"}},
		{"no close id", "zzz", ExitError, []string{`unknown control "zzz"`, "stance check --list"}},
		{"pattern matching nothing", "gcp_nothing_*", ExitError, []string{`control pattern "gcp_nothing_*" matches no known control`}},
		{"known id", "aws_s3_bucket_public_access_blocked", ExitOK, nil},
		{"pattern matching ids", "aws_s3_*", ExitOK, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "s.duckdb")
			code, out, errOut := stance(t, "", "suppress", "add", "--db", db, "--control", tt.control,
				"--resource", "x", "--reason", "r", "--author", "a", "--expires", "1d")
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.wantCode, out, errOut)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(errOut, s) {
					t.Errorf("error output %q lacks %q", errOut, s)
				}
			}
			if tt.wantCode != ExitOK && strings.Contains(out, "added") {
				t.Errorf("output %q reports a suppression added", out)
			}
		})
	}
}

func TestSuppressAddKnowsUserPackControls(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	dir := filepath.Join(config, "stance", "packs", "controls", "aws")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	yaml := "id: acme_bucket_tagged\ntitle: Tagged\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_s3_bucket]\n"
	if err := os.WriteFile(filepath.Join(dir, "acme_bucket_tagged.yaml"), []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "acme_bucket_tagged.sql"), []byte("SELECT arn AS resource FROM aws_s3_bucket"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "s.duckdb")
	code, out, errOut := stance(t, "", "suppress", "add", "--db", db, "--control", "acme_bucket_tagged",
		"--resource", "x", "--reason", "r", "--author", "a", "--expires", "1d")
	if code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "suppression 1 added") {
		t.Errorf("output %q, want suppression 1 added", out)
	}
}
