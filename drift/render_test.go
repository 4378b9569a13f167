package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriteGolden prints the drift of the changed world in the terminal
// and JSON formats and compares them with the golden files.
func TestWriteGolden(t *testing.T) {
	st := changedWorld(t)
	changes, err := Changes(context.Background(), st.DB(), firstSync, secondSync, Filter{})
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	report := Report{From: firstSync, To: secondSync, Changes: changes}
	for _, tc := range []struct{ format, file string }{
		{"table", "changed_world.txt"},
		{"json", "changed_world.json"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.format, report); err != nil {
			t.Fatalf("write %s: %v", tc.format, err)
		}
		golden := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatalf("update %s: %v", golden, err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("read %s (run with -update to create it): %v", golden, err)
		}
		if got := buf.String(); got != string(want) {
			t.Errorf("%s output differs from %s (run with -update after checking it):\ngot:\n%s", tc.format, golden, got)
		}
	}
}

// TestWriteSanitizesValues checks that an escape sequence in a value
// reaches the terminal only as visible text.
func TestWriteSanitizesValues(t *testing.T) {
	report := Report{Changes: []Change{{
		Table: "aws_s3_bucket", AccountID: "111122223333", Region: "us-east-1", ResourceID: "arn:aws:s3:::evil\x1b]0;owned\x07",
		Kind: Changed, Fields: []Field{{Path: "tags.Name", Old: json.RawMessage(`"a"`), New: json.RawMessage("\"\x1b[2J\"")}},
	}}}
	var buf bytes.Buffer
	if err := Write(&buf, "table", report); err != nil {
		t.Fatalf("write: %v", err)
	}
	if strings.ContainsRune(buf.String(), '\x1b') || strings.ContainsRune(buf.String(), '\x07') {
		t.Errorf("got raw control characters in %q, want them escaped", buf.String())
	}
}

// TestWriteFlatFormats checks that the row formats print one row per field
// and that an unknown format is rejected.
func TestWriteFlatFormats(t *testing.T) {
	report := Report{Changes: []Change{{
		Table: "aws_ec2_instance", AccountID: "111122223333", Region: "us-east-1", ResourceID: "i-1", Kind: Changed,
		Fields: []Field{{Path: "state", Old: json.RawMessage(`"running"`), New: json.RawMessage(`"stopped"`)}, {Path: "tags.env", New: json.RawMessage(`"prod"`)}},
	}}}
	cases := []struct {
		format string
		lines  int
	}{
		{"jsonl", 2},
		{"csv", 3},
		{"markdown", 4},
	}
	for _, tc := range cases {
		var buf bytes.Buffer
		if err := Write(&buf, tc.format, report); err != nil {
			t.Fatalf("write %s: %v", tc.format, err)
		}
		if got := strings.Count(strings.TrimSpace(buf.String()), "\n") + 1; got != tc.lines {
			t.Errorf("%s: got %d lines, want %d:\n%s", tc.format, got, tc.lines, buf.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "yaml", report); err == nil {
		t.Errorf("format yaml: got no error, want one")
	}
}
