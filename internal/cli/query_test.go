package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestQueryOutMissingFolder(t *testing.T) {
	db := demoDatabase(t)
	missing := filepath.Join(t.TempDir(), "nodir")
	for _, format := range []string{"csv", "arrow", "parquet"} {
		t.Run(format, func(t *testing.T) {
			code, _, errOut := stance(t, "", "query", "--db", db, "--format", format, "--out", filepath.Join(missing, "x."+format), "SELECT 1")
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(errOut, "folder "+missing+" does not exist") {
				t.Errorf("stderr %q does not name the missing folder %s", errOut, missing)
			}
			if strings.Contains(errOut, ".tmp") {
				t.Errorf("stderr %q names the temporary file", errOut)
			}
		})
	}
}

func TestUsageErrorsHint(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"query", "--fromat", "x"}, "Run 'stance query --help' for usage."},
		{"missing argument", []string{"history"}, "Run 'stance history --help' for usage."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := stance(t, "", tt.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.want)
			}
		})
	}
}

func TestQueryPrintsDateAsDate(t *testing.T) {
	db := demoDatabase(t)
	for _, format := range []string{"table", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := stance(t, "", "query", "--db", db, "--format", format, "SELECT DATE '2026-12-05' d")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "2026-12-05") {
				t.Errorf("output %q lacks the date", out)
			}
			if strings.Contains(out, "T00:00:00") {
				t.Errorf("output %q prints the date as a timestamp", out)
			}
		})
	}
}

func TestQueryWarnsOnSeveralStatements(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		name string
		sql  string
		warn bool
	}{
		{"two selects", "SELECT 1; SELECT 2", true},
		{"one select", "SELECT 1", false},
		{"semicolon in string", "SELECT ';' AS x", false},
		{"trailing semicolon", "SELECT 1;", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := stance(t, "", "query", "--db", db, "--format", "csv", tt.sql)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := strings.Contains(errOut, "several statements"); got != tt.warn {
				t.Errorf("warning printed = %v, want %v; stderr %q", got, tt.warn, errOut)
			}
		})
	}
}

func TestQueryPrintsEachStatement(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		name     string
		sql      string
		format   string
		want     []string
		wantCode int
	}{
		{"two selects", "SELECT 'first' AS a; SELECT 'second' AS b", "table", []string{"first", "second"}, ExitOK},
		{"variable carries over", "SET VARIABLE n = 41; SELECT getvariable('n') + 1 AS answer", "line", []string{"answer = 42"}, ExitOK},
		{"markdown", "SELECT 1 AS a; SELECT 2 AS b;", "markdown", []string{"| a |", "| b |"}, ExitOK},
		{"error names the statement", "SELECT 'ok' AS a;\nSELECT * FROM no_such_table", "table", []string{"ok"}, ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := stance(t, "", "query", "--db", db, "--format", tt.format, tt.sql)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tt.wantCode, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output %q lacks %q", out, w)
				}
			}
			if strings.Contains(errOut, "several statements") {
				t.Errorf("warning printed for a format that shows every result: %q", errOut)
			}
			if tt.wantCode != ExitOK && !strings.Contains(errOut, "statement 2 of 2, line 2") {
				t.Errorf("error %q does not name the failing statement and its line", errOut)
			}
		})
	}
}
