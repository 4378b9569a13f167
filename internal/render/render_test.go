package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func sample() Result {
	return Result{
		Columns: []string{"name", "public", "size", "created", "tags", "note"},
		Rows: [][]any{
			{"logs-bucket", false, int64(42), time.Date(2026, 3, 1, 14, 2, 0, 0, time.UTC), map[any]any{"owner": "team-a"}, nil},
			{"pipe|bucket", true, int64(7), time.Date(2026, 3, 2, 0, 0, 0, 0, time.FixedZone("CET", 3600)), []any{"a", "b"}, "line1\nline2 \x1b[31mred\x1b[0m"},
		},
	}
}

func TestWriteGolden(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, sample(), Options{MaxWidth: 20}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sample."+format)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s output differs from %s:\ngot:\n%s\nwant:\n%s", format, golden, got, want)
			}
		})
	}
}

func TestWriteInvalidFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", sample(), Options{})
	if err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Fatalf("got error %v, want one naming the format", err)
	}
}

func TestSanitizeTerminalEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\a`},
		{"tab\there", `tab\there`},
		{"bidi\u202Eevil", `bidi\u202eevil`},
		{"bad\xffbyte", `bad\xffbyte`},
		{"ünïcödé ok", "ünïcödé ok"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTableTruncatesWideCells(t *testing.T) {
	var buf bytes.Buffer
	r := Result{Columns: []string{"c"}, Rows: [][]any{{strings.Repeat("x", 50)}}}
	if err := Write(&buf, "table", r, Options{MaxWidth: 10}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "xxxxxxxxx…") {
		t.Errorf("got %q, want the cell cut at 10 characters with …", buf.String())
	}
	if strings.Contains(buf.String(), strings.Repeat("x", 11)) {
		t.Errorf("got %q, want no run of 11 x", buf.String())
	}
}

func TestTableFitsTerminalWidth(t *testing.T) {
	r := Result{
		Columns: []string{"id", "arn", "description"},
		Rows: [][]any{
			{int64(1), "arn:aws:iam::210987654321:role/" + strings.Repeat("r", 40), strings.Repeat("d", 60)},
			{int64(2), "short", "short"},
		},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "table", r, Options{MaxWidth: 80, Width: 60}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if n := len([]rune(line)); n > 60 {
			t.Errorf("line %q is %d characters wide, want at most 60", line, n)
		}
	}
	if !strings.Contains(buf.String(), "…") {
		t.Errorf("got %q, want cut cells marked with …", buf.String())
	}
	if !strings.Contains(buf.String(), "1  │ ") && !strings.Contains(buf.String(), "1 │ ") {
		t.Errorf("got %q, want the narrow id column kept whole", buf.String())
	}
}

func TestTableKeepsMinimumColumnWidth(t *testing.T) {
	cols := make([]string, 30)
	row := make([]any, 30)
	for i := range cols {
		cols[i] = "column" + strings.Repeat("x", i)
		row[i] = "value"
	}
	var buf bytes.Buffer
	if err := Write(&buf, "table", Result{Columns: cols, Rows: [][]any{row}}, Options{Width: 40}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "va…") {
		t.Errorf("got %q, want cells cut to 3 characters, never fewer", buf.String())
	}
}

func TestWriteDateAndTimeColumns(t *testing.T) {
	r := Result{
		Columns: []string{"d", "t", "ts"},
		Types:   []string{"DATE", "TIME", "TIMESTAMP"},
		Rows: [][]any{{
			time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
			time.Date(1, 1, 1, 13, 4, 5, 250_000_000, time.UTC),
			time.Date(2026, 12, 5, 1, 2, 3, 0, time.UTC),
		}},
	}
	tests := []struct {
		format string
		want   string
	}{
		{"table", "2026-12-05 │ 13:04:05.25 │ 2026-12-05T01:02:03Z"},
		{"line", " d = 2026-12-05\n t = 13:04:05.25\nts = 2026-12-05T01:02:03Z\n"},
		{"csv", "2026-12-05,13:04:05.25,2026-12-05T01:02:03Z\n"},
		{"json", `{"d": "2026-12-05", "t": "13:04:05.25", "ts": "2026-12-05T01:02:03Z"}`},
		{"jsonl", `{"d": "2026-12-05", "t": "13:04:05.25", "ts": "2026-12-05T01:02:03Z"}`},
		{"markdown", "| 2026-12-05 | 13:04:05.25 | 2026-12-05T01:02:03Z |"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var b strings.Builder
			if err := Write(&b, tt.format, r, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tt.want) {
				t.Errorf("output %q does not contain %q", b.String(), tt.want)
			}
		})
	}
}

func TestIntervalText(t *testing.T) {
	tests := []struct {
		in   duckdb.Interval
		want string
	}{
		{duckdb.Interval{}, "00:00:00"},
		{duckdb.Interval{Micros: 3_861_832_436}, "01:04:21.832436"},
		{duckdb.Interval{Days: 44, Micros: 3_723_000_000}, "44 days 01:02:03"},
		{duckdb.Interval{Months: 14, Days: 1}, "1 year 2 months 1 day"},
		{duckdb.Interval{Micros: -1_500_000}, "-00:00:01.5"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%+v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
