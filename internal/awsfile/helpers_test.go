package awsfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeWorld writes files, keyed by slash-separated path, under a new
// temporary folder and returns the folder.
func writeWorld(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// openWorld writes files as writeWorld does and opens them.
func openWorld(t *testing.T, files map[string]string) (*Source, string) {
	t.Helper()
	dir := writeWorld(t, files)
	src, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return src, dir
}

// demoDir returns the folder of CloudMapper's demo account data, kept beside
// the repository, or skips the test when it is absent.
func demoDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	root := strings.TrimSpace(string(out))
	if err != nil || root == "" {
		root = findModuleRoot(t)
	}
	dir := filepath.Join(root, "..", "shared", "realdata", "aws-cloudmapper-demo")
	if _, err := os.Stat(filepath.Join(dir, "describe-regions.json")); err != nil {
		t.Skipf("CloudMapper demo data not found at %s: %v", dir, err)
	}
	return dir
}

// findModuleRoot walks up from the working folder to the folder with go.mod.
func findModuleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found above the test folder")
		}
		dir = parent
	}
}
