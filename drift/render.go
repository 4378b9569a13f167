package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/render"
)

// Formats lists the output formats that Write accepts.
var Formats = []string{"table", "json", "jsonl", "csv", "markdown"}

// Report is the result of one comparison, ready to print.
type Report struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Changes []Change  `json:"changes"`
}

// maxValueWidth is the longest old or new value that the terminal view
// prints before it cuts the value with "…".
const maxValueWidth = 120

// Write prints the report in a format of Formats. json prints one document
// with a change per resource; jsonl, csv and markdown print one row per
// changed field.
func Write(w io.Writer, format string, r Report) error {
	switch format {
	case "table", "":
		return writeTerminal(w, r)
	case "json":
		if r.Changes == nil {
			r.Changes = []Change{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "jsonl", "csv", "markdown":
		return render.Write(w, format, flatten(r), render.Options{})
	}
	return fmt.Errorf("invalid format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// flatten returns one row per changed field, in the columns of ChangesSQL
// without tags.
func flatten(r Report) render.Result {
	res := render.Result{Columns: []string{"table_name", "account_id", "region", "resource_id", "change", "path", "old_value", "new_value", "old_valid_from", "new_valid_from"}}
	for _, c := range r.Changes {
		for _, f := range c.Fields {
			res.Rows = append(res.Rows, []any{c.Table, c.AccountID, c.Region, c.ResourceID, c.Kind, f.Path,
				rawText(f.Old), rawText(f.New), timeOrNil(c.OldValidFrom), timeOrNil(c.NewValidFrom)})
		}
	}
	return res
}

func rawText(v json.RawMessage) any {
	if v == nil {
		return nil
	}
	return string(v)
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// Summary counts the resources of a report by kind of change.
func Summary(changes []Change) map[string]int {
	counts := map[string]int{Added: 0, Removed: 0, Changed: 0}
	for _, c := range changes {
		counts[c.Kind]++
	}
	return counts
}

// writeTerminal prints a summary line, then the changes grouped by account
// and table. Added and removed resources show their key only, changed ones
// each field. Every value passes through render.Sanitize, because resource
// data comes from the cloud and may carry terminal escape sequences.
func writeTerminal(w io.Writer, r Report) error {
	counts := Summary(r.Changes)
	start := r.From.UTC().Format(time.RFC3339)
	if r.From.IsZero() {
		start = "before the first sync"
	}
	fmt.Fprintf(w, "Drift from %s to %s: %d added, %d removed, %d changed\n",
		start, r.To.UTC().Format(time.RFC3339),
		counts[Added], counts[Removed], counts[Changed])
	if len(r.Changes) == 0 {
		_, err := fmt.Fprintln(w, "No resource changed.")
		return err
	}

	changes := append([]Change(nil), r.Changes...)
	sort.SliceStable(changes, func(i, j int) bool {
		if changes[i].AccountID != changes[j].AccountID {
			return changes[i].AccountID < changes[j].AccountID
		}
		return changes[i].Table < changes[j].Table
	})
	var account, table string
	for _, c := range changes {
		if c.AccountID != account {
			fmt.Fprintf(w, "\nAccount %s\n", render.Sanitize(c.AccountID))
			account, table = c.AccountID, ""
		}
		if c.Table != table {
			fmt.Fprintf(w, "  %s\n", c.Table)
			table = c.Table
		}
		fmt.Fprintf(w, "    %s %s (%s)\n", kindMark(c.Kind), render.Sanitize(c.ResourceID), render.Sanitize(c.Region))
		if c.Kind != Changed {
			continue
		}
		for _, f := range c.Fields {
			fmt.Fprintf(w, "        %s: %s -> %s\n", render.Sanitize(f.Path), valueText(f.Old), valueText(f.New))
		}
	}
	hidden := 0
	for _, c := range r.Changes {
		hidden += c.HiddenRawFields
	}
	if hidden > 0 {
		fmt.Fprintf(w, "\n%d fields under raw that repeat a change shown above are hidden: --show-raw lists them.\n", hidden)
	}
	return nil
}

func kindMark(kind string) string {
	switch kind {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

// valueText returns a JSON value for the terminal: "(none)" for an absent
// value, else the JSON text, sanitized and cut at maxValueWidth.
func valueText(v json.RawMessage) string {
	if v == nil {
		return "(none)"
	}
	s := render.Sanitize(string(v))
	if len([]rune(s)) > maxValueWidth {
		s = string([]rune(s)[:maxValueWidth-1]) + "…"
	}
	return s
}
