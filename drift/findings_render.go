package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/render"
)

// FindingsReport is the findings drift between two check runs.
type FindingsReport struct {
	From    CheckRun        `json:"from_run"`
	To      CheckRun        `json:"to_run"`
	Changes []FindingChange `json:"findings"`
}

// WriteFindings prints a findings report in a format of Formats: a
// terminal view ("table"), one JSON document ("json"), or one row per
// finding change and cause ("jsonl", "csv" and "markdown").
func WriteFindings(w io.Writer, format string, r FindingsReport) error {
	if format == "json" {
		if r.Changes == nil {
			r.Changes = []FindingChange{}
		}
		return encodeJSON(w, r)
	}
	return WriteFindingsReports(w, format, []FindingsReport{r})
}

// WriteFindingsReports prints the reports of several benchmarks: one
// terminal view per benchmark ("table"), one JSON array of reports
// ("json"), or the rows of every report in one table, with the benchmark
// and version on each row ("jsonl", "csv" and "markdown").
func WriteFindingsReports(w io.Writer, format string, reports []FindingsReport) error {
	switch format {
	case "json":
		if reports == nil {
			reports = []FindingsReport{}
		}
		for i := range reports {
			if reports[i].Changes == nil {
				reports[i].Changes = []FindingChange{}
			}
		}
		return encodeJSON(w, reports)
	case "table", "":
		for i, r := range reports {
			if i > 0 {
				if _, err := io.WriteString(w, "\n"); err != nil {
					return err
				}
			}
			if err := writeFindingsText(w, r); err != nil {
				return err
			}
		}
		return nil
	case "jsonl", "csv", "markdown":
		var all render.Result
		for _, r := range reports {
			flat := flattenFindings(r)
			all.Columns = flat.Columns
			all.Rows = append(all.Rows, flat.Rows...)
		}
		if all.Columns == nil {
			all.Columns = flattenFindings(FindingsReport{}).Columns
		}
		return render.Write(w, format, all, render.Options{})
	default:
		return fmt.Errorf("invalid format %q for --findings: use one of %s", format, strings.Join(Formats, ", "))
	}
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// flattenFindings returns one row per finding change and cause. A finding
// change without a cause has one row whose cause columns are NULL, and
// one with several causes repeats its own columns on each row.
// Requirement ids and changed columns are joined with ", ".
func flattenFindings(r FindingsReport) render.Result {
	res := render.Result{Columns: []string{
		"change", "severity", "requirements", "control_id", "resource", "account_id", "region", "reason",
		"cause_table", "cause_change", "cause_changed_at", "cause_columns", "cause",
		"benchmark", "version", "from_run_id", "to_run_id",
	}}
	for _, c := range r.Changes {
		finding := []any{c.Kind, c.Severity, strings.Join(c.Requirements, ", "), c.ControlID, c.Resource,
			c.AccountID, c.Region, c.Reason}
		runs := []any{r.To.Benchmark, r.To.Version, r.From.ID, r.To.ID}
		if len(c.Causes) == 0 {
			row := append(append(slices.Clone(finding), nil, nil, nil, nil, nil), runs...)
			res.Rows = append(res.Rows, row)
			continue
		}
		for _, cause := range c.Causes {
			var at any
			if cause.At != nil {
				at = cause.At.UTC()
			}
			row := append(slices.Clone(finding), cause.Table, cause.Kind, at, strings.Join(cause.Columns, ", "), causeText(c.Kind, cause))
			res.Rows = append(res.Rows, append(row, runs...))
		}
	}
	return res
}

func writeFindingsText(w io.Writer, r FindingsReport) error {
	counts := map[string]int{}
	for _, c := range r.Changes {
		counts[c.Kind]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Findings drift of %s from check run %d (%s) to run %d (%s): %d appeared, %d resolved, %d reopened\n",
		render.Sanitize(benchmarkName(r.To)), r.From.ID, r.From.EvaluatedAt.Format(time.RFC3339), r.To.ID, r.To.EvaluatedAt.Format(time.RFC3339),
		counts[Appeared], counts[Resolved], counts[Reopened])
	// Resource names and regions come from the cloud, so they pass through
	// render.Sanitize like every value of the resource drift view.
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "\n%-8s %-8s %s on %s", c.Kind, c.Severity, render.Sanitize(findingName(c)), render.Sanitize(c.Resource))
		if c.AccountID != "" {
			fmt.Fprintf(&b, " (%s %s)", render.Sanitize(c.AccountID), render.Sanitize(c.Region))
		}
		b.WriteString("\n")
		for _, cause := range c.Causes {
			fmt.Fprintf(&b, "         %s\n", render.Sanitize(causeText(c.Kind, cause)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// benchmarkName returns the benchmark and version of a run, such as
// "cis_aws 6.0.0", or "controls without a benchmark".
func benchmarkName(r CheckRun) string {
	if r.Benchmark == "" {
		return "controls without a benchmark"
	}
	return strings.TrimSpace(r.Benchmark + " " + r.Version)
}

// findingName returns the requirement ids and the control id of a finding,
// such as "2.1.4 aws_s3_bucket_public_access_blocked".
func findingName(c FindingChange) string {
	if len(c.Requirements) == 0 {
		return c.ControlID
	}
	return strings.Join(c.Requirements, ", ") + " " + c.ControlID
}

// causeText describes a resource change as the cause of a finding change,
// such as "since its policy changed at 2026-03-01 14:02 UTC".
func causeText(kind string, c Cause) string {
	verb := "failed"
	if kind == Resolved {
		verb = "passed"
	}
	at := ""
	if c.At != nil {
		at = " at " + c.At.UTC().Format("2006-01-02 15:04 MST")
	}
	switch c.Kind {
	case Added:
		return fmt.Sprintf("%s since it appeared in %s%s", verb, c.Table, at)
	case Removed:
		return fmt.Sprintf("%s since it was removed from %s", verb, c.Table)
	default:
		return fmt.Sprintf("%s since its %s changed%s (%s)", verb, strings.Join(c.Columns, ", "), at, c.Table)
	}
}
