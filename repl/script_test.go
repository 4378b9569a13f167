package repl_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runScript runs stance repl with script on a pipe and returns the exit
// status and outputs.
func runScript(t *testing.T, db, script string, args ...string) (int, string, string) {
	t.Helper()
	cmd := stanceCmd(t.TempDir(), append([]string{"repl", "--db", db}, args...)...)
	cmd.Stdin = strings.NewReader(script)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		return exitErr.ExitCode(), out.String(), errOut.String()
	case err != nil:
		t.Fatalf("run stance repl: %v", err)
	}
	return 0, out.String(), errOut.String()
}

func TestScriptRunsWithoutPrompt(t *testing.T) {
	db := demoDatabase(t)
	script := "SELECT count(*) AS buckets\nFROM aws_s3_bucket;\n.mode csv\nSELECT 'a;b' AS s; -- trailing; comment\nSELECT 42 AS last"
	code, out, errOut := runScript(t, db, script)
	if code != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", code, errOut)
	}
	if strings.Contains(out, "stance>") {
		t.Errorf("script output shows a prompt:\n%s", out)
	}
	for _, want := range []string{"buckets\n───────\n7\n(1 row)\n", "s\na;b\n", "last\n42\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant it to contain:\n%s", out, want)
		}
	}
}

func TestScriptStopsAtFirstError(t *testing.T) {
	db := demoDatabase(t)
	script := "SELECT 'first' AS step;\n\nSELECT name,\n  regoin FROM aws_s3_bucket;\nSELECT 'never' AS step;\n"
	code, out, errOut := runScript(t, db, script)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.Contains(out, "first") {
		t.Errorf("output %q, want the statement before the error", out)
	}
	if strings.Contains(out, "never") {
		t.Errorf("output %q runs a statement after the error", out)
	}
	for _, want := range []string{"standard input, line 3", "Binder Error", "LINE 2:   regoin FROM aws_s3_bucket", "^"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr:\n%s\nwant it to contain %q", errOut, want)
		}
	}
}

func TestScriptDotCommandErrors(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		script string
		want   string
	}{
		{".mode xml\n", `invalid mode "xml"`},
		{".at someday\n", `invalid time "someday"`},
		{".schema no_such_table\n", `no table or view named "no_such_table"`},
		{".frobnicate\n", "unknown command .frobnicate"},
		{".read /nonexistent/script.sql\n", "no such file"},
		{"SELECT 1 AS x; /* open comment\n", "standard input, line 1: the input ends inside an unterminated comment"},
		{"SELECT 1 AS x;\nSELECT 'open\n", "line 2: the input ends inside an unterminated string"},
	}
	for _, tt := range tests {
		code, _, errOut := runScript(t, db, tt.script)
		if code != 1 {
			t.Errorf("%q: exit status %d, want 1", tt.script, code)
		}
		if !strings.Contains(errOut, tt.want) {
			t.Errorf("%q: stderr %q, want it to contain %q", tt.script, errOut, tt.want)
		}
	}
}

func TestScriptDotCommands(t *testing.T) {
	db := demoDatabase(t)
	dir := t.TempDir()
	inner := filepath.Join(dir, "inner.sql")
	if err := os.WriteFile(inner, []byte("SELECT 'from inner' AS source;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	once := filepath.Join(dir, "once.csv")
	output := filepath.Join(dir, "output.json")
	script := strings.Join([]string{
		".tables s3",
		".schema aws_s3_bucket",
		".read " + inner,
		".mode csv",
		".once " + once,
		"SELECT 'to once' AS target;",
		"SELECT 'to terminal' AS target;",
		".mode json",
		".output " + output,
		"SELECT 'to output' AS target;",
		".output",
		".quit",
		"SELECT 'after quit' AS target;",
	}, "\n")
	code, out, errOut := runScript(t, db, script)
	if code != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{"aws_s3_bucket", "policy_status_is_public", "BOOLEAN", "from inner", "to terminal"} {
		if !strings.Contains(out, want) {
			t.Errorf("output:\n%s\nwant it to contain %q", out, want)
		}
	}
	for _, unwanted := range []string{"to once", "to output", "after quit"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("output:\n%s\nwant no %q", out, unwanted)
		}
	}
	checkFile(t, once, "target\nto once\n")
	checkFile(t, output, `[`+"\n"+`  {"target": "to output"}`+"\n]\n")
}

func checkFile(t *testing.T, path, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != want {
		t.Errorf("%s contains %q, want %q", path, data, want)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("%s has mode %o, want 600", path, mode)
	}
}

func TestScriptAtAndDrift(t *testing.T) {
	db := demoDatabase(t)
	first, second := syncTimes(t, db)
	between := first.Add(second.Sub(first) / 2).UTC().Format("2006-01-02T15:04:05Z")
	script := ".mode csv\n.at " + between + "\nSELECT block_public_policy AS blocked FROM aws_s3_bucket WHERE name = 'acme-prod-app-assets';\n" +
		".at now\nSELECT block_public_policy AS blocked FROM aws_s3_bucket WHERE name = 'acme-prod-app-assets';\n" +
		".drift --table aws_s3_bucket --format csv\n"
	code, out, errOut := runScript(t, db, script)
	if code != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "blocked\ntrue\nblocked\nfalse\n") {
		t.Errorf("output:\n%s\nwant true as of %s, then false now", out, between)
	}
	if !strings.Contains(out, "acme-prod-app-assets") || !strings.Contains(out, "block_public_policy") {
		t.Errorf("output:\n%s\nwant the drift of the incident bucket", out)
	}
}

func TestScriptCheck(t *testing.T) {
	db := copyDatabase(t, demoDatabase(t))
	script := ".check aws_s3_bucket_public_access_blocked --format csv\nSELECT count(*) > 0 AS stored FROM stance_check_result WHERE control_id = 'aws_s3_bucket_public_access_blocked';\n"
	code, out, errOut := runScript(t, db, script, "--mode", "csv")
	if code != 0 {
		t.Fatalf("exit status %d, want 0; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, "acme-prod-app-assets") {
		t.Errorf("output:\n%s\nwant the check report naming the public bucket", out)
	}
	if !strings.Contains(out, "stored\ntrue\n") {
		t.Errorf("output:\n%s\nwant the results stored and readable after .check", out)
	}
}

// copyDatabase copies db for a test that writes to it.
func copyDatabase(t *testing.T, db string) string {
	t.Helper()
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.duckdb")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}
