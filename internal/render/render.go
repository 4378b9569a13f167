// Package render writes query results as a terminal table, one line per
// column (line), CSV, JSON, JSON Lines or Markdown.
package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Formats lists the accepted output formats.
var Formats = []string{"table", "line", "csv", "json", "jsonl", "markdown"}

// IsFormat reports whether Write accepts format: one of Formats, "md" for
// markdown, or "" for table.
func IsFormat(format string) bool {
	return format == "" || format == "md" || slices.Contains(Formats, format)
}

// Result is a query result: column names and rows of values as the
// database driver returned them.
type Result struct {
	Columns []string
	// Types are the database type names of the columns, such as DATE, in
	// the order of Columns. They may be nil, and then times print as
	// timestamps.
	Types []string
	Rows  [][]any
}

// cell returns the value of column j of row as Write prints it: a DATE,
// TIME or TIMETZ column, which the driver scans into time.Time, becomes
// its own text, so a date does not print as midnight UTC.
//
// NOTE: times nested in a LIST, STRUCT or MAP still print as timestamps.
func (r Result) cell(row []any, j int) any {
	t, ok := row[j].(time.Time)
	if !ok || j >= len(r.Types) {
		return row[j]
	}
	switch r.Types[j] {
	case "DATE":
		return t.Format(time.DateOnly)
	case "TIME":
		return t.Format("15:04:05.999999")
	case "TIMETZ":
		return t.Format("15:04:05.999999-07:00")
	}
	return t
}

// Options tune the terminal table.
type Options struct {
	// MaxWidth truncates each cell of the table format to this many
	// characters, with "…" marking the cut (0: 80).
	MaxWidth int
	// Width is the width of the terminal: the table format narrows its
	// widest columns, cutting cells with "…", until each line fits. 0
	// leaves the width unbounded.
	Width int
}

// Write writes r to w in the named format.
func Write(w io.Writer, format string, r Result, opts Options) error {
	switch format {
	case "table", "":
		return writeTable(w, r, opts)
	case "line":
		return writeLines(w, r)
	case "csv":
		return writeCSV(w, r)
	case "json":
		return writeJSON(w, r, false)
	case "jsonl":
		return writeJSON(w, r, true)
	case "markdown", "md":
		return writeMarkdown(w, r)
	}
	return fmt.Errorf("invalid format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// Text returns a value as one line of text: strings as they are, times in
// RFC 3339 UTC, lists and maps as JSON, NULL as "".
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case bool:
		return strconv.FormatBool(x)
	case int64, int32, int, uint64, uint32, float64, float32:
		return fmt.Sprint(x)
	case duckdb.Interval:
		return IntervalText(x)
	}
	b, err := marshalJSON(jsonValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// IntervalText writes an INTERVAL as DuckDB prints it, such as
// "1 year 2 months 3 days 04:05:06.5": years and months, days, then the
// time of day, each left out when zero (a zero interval is "00:00:00").
func IntervalText(iv duckdb.Interval) string {
	var parts []string
	unit := func(n int64, one, many string) {
		if n == 1 || n == -1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, one))
		} else if n != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	unit(int64(iv.Months/12), "year", "years")
	unit(int64(iv.Months%12), "month", "months")
	unit(int64(iv.Days), "day", "days")
	if iv.Micros != 0 || len(parts) == 0 {
		micros, sign := iv.Micros, ""
		if micros < 0 {
			micros, sign = -micros, "-"
		}
		clock := fmt.Sprintf("%s%02d:%02d:%02d", sign, micros/3_600_000_000, micros/60_000_000%60, micros/1_000_000%60)
		if frac := micros % 1_000_000; frac != 0 {
			clock += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
		}
		parts = append(parts, clock)
	}
	return strings.Join(parts, " ")
}

// jsonValue converts driver values into values that encoding/json writes
// naturally: maps with non-string keys become string-keyed maps.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case []byte:
		return string(x)
	}
	if m, ok := asMap(v); ok {
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	}
	return v
}

// Sanitize replaces control characters with visible escapes, so that a
// value from the cloud (a tag, a description) cannot move the cursor,
// change colours or rewrite the terminal's title.
func Sanitize(s string) string {
	if !strings.ContainsFunc(s, isUnsafe) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case isUnsafe(r):
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isUnsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return string(runes[:max-1]) + "…"
}

func writeTable(w io.Writer, r Result, opts Options) error {
	max := opts.MaxWidth
	if max <= 0 {
		max = 80
	}
	cells := make([][]string, len(r.Rows))
	widths := make([]int, len(r.Columns))
	for i, c := range r.Columns {
		widths[i] = utf8.RuneCountInString(Sanitize(c))
	}
	for i, row := range r.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			s := truncate(Sanitize(Text(r.cell(row, j))), max)
			if v == nil {
				s = "NULL"
			}
			cells[i][j] = s
			if n := utf8.RuneCountInString(s); n > widths[j] {
				widths[j] = n
			}
		}
	}
	if opts.Width > 0 {
		fitWidths(widths, opts.Width)
		for i := range r.Columns {
			for _, row := range cells {
				row[i] = truncate(row[i], widths[i])
			}
		}
	}
	var b bytes.Buffer
	line := func(vals []string) {
		for j, v := range vals {
			if j > 0 {
				b.WriteString(" │ ")
			}
			b.WriteString(v)
			if j < len(vals)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(v)))
			}
		}
		b.WriteByte('\n')
	}
	header := make([]string, len(r.Columns))
	rule := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		header[i] = truncate(Sanitize(c), widths[i])
		rule[i] = strings.Repeat("─", widths[i])
	}
	line(header)
	b.WriteString(strings.Join(rule, "─┼─") + "\n")
	for _, row := range cells {
		line(row)
	}
	fmt.Fprintf(&b, "(%d row%s)\n", len(r.Rows), plural(len(r.Rows)))
	_, err := w.Write(b.Bytes())
	return err
}

// fitWidths narrows the widest columns one character at a time until the
// columns and their " │ " separators fit in width. A column keeps at least
// minColumnWidth characters, so a table of many columns can still be
// wider than width.
func fitWidths(widths []int, width int) {
	const minColumnWidth = 3
	total := 3 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > width {
		widest := 0
		for i, w := range widths {
			if w > widths[widest] {
				widest = i
			}
		}
		if widths[widest] <= minColumnWidth {
			return
		}
		widths[widest]--
		total--
	}
}

// writeLines writes each row as one "column = value" line per column,
// with a blank line between rows, for results too wide for a table.
func writeLines(w io.Writer, r Result) error {
	nameWidth := 0
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = Sanitize(c)
		nameWidth = max(nameWidth, utf8.RuneCountInString(names[i]))
	}
	var b bytes.Buffer
	for i, row := range r.Rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, v := range row {
			s := Sanitize(Text(r.cell(row, j)))
			if v == nil {
				s = "NULL"
			}
			fmt.Fprintf(&b, "%*s = %s\n", nameWidth, names[j], s)
		}
	}
	fmt.Fprintf(&b, "(%d row%s)\n", len(r.Rows), plural(len(r.Rows)))
	_, err := w.Write(b.Bytes())
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func writeCSV(w io.Writer, r Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	rec := make([]string, len(r.Columns))
	for _, row := range r.Rows {
		for j := range row {
			rec[j] = Text(r.cell(row, j))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, r Result, lines bool) error {
	var b bytes.Buffer
	if !lines {
		b.WriteString("[")
	}
	for i, row := range r.Rows {
		if !lines && i > 0 {
			b.WriteString(",")
		}
		if !lines {
			b.WriteString("\n  ")
		}
		b.WriteString("{")
		for j := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := marshalJSON(r.Columns[j])
			b.Write(k)
			b.WriteString(": ")
			val, err := marshalJSON(jsonValue(r.cell(row, j)))
			if err != nil {
				return fmt.Errorf("encode column %s: %w", r.Columns[j], err)
			}
			b.Write(val)
		}
		b.WriteString("}")
		if lines {
			b.WriteString("\n")
		}
	}
	if !lines {
		if len(r.Rows) > 0 {
			b.WriteString("\n")
		}
		b.WriteString("]\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// marshalJSON encodes v without escaping <, > and &, which are common in
// cloud data ("<root_account>") and harmless outside HTML.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeMarkdown(w io.Writer, r Result) error {
	var b bytes.Buffer
	esc := func(s string) string {
		s = Sanitize(s)
		return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
	}
	cols := make([]string, len(r.Columns))
	seps := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		cols[i] = esc(c)
		seps[i] = "---"
	}
	b.WriteString("| " + strings.Join(cols, " | ") + " |\n")
	b.WriteString("| " + strings.Join(seps, " | ") + " |\n")
	vals := make([]string, len(r.Columns))
	for _, row := range r.Rows {
		for j := range row {
			vals[j] = esc(Text(r.cell(row, j)))
		}
		b.WriteString("| " + strings.Join(vals, " | ") + " |\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
