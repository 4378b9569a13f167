package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// FindingsReport is the findings drift between two check runs.
type FindingsReport struct {
	From    CheckRun        `json:"from_run"`
	To      CheckRun        `json:"to_run"`
	Changes []FindingChange `json:"findings"`
}

// WriteFindings prints a findings report as a terminal view ("table") or
// as one JSON document ("json").
func WriteFindings(w io.Writer, format string, r FindingsReport) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if r.Changes == nil {
			r.Changes = []FindingChange{}
		}
		return enc.Encode(r)
	case "table", "":
		return writeFindingsText(w, r)
	default:
		return fmt.Errorf("invalid format %q for --findings: use table or json", format)
	}
}

func writeFindingsText(w io.Writer, r FindingsReport) error {
	counts := map[string]int{}
	for _, c := range r.Changes {
		counts[c.Kind]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Findings drift from check run %d (%s) to run %d (%s): %d appeared, %d resolved, %d reopened\n",
		r.From.ID, r.From.EvaluatedAt.Format(time.RFC3339), r.To.ID, r.To.EvaluatedAt.Format(time.RFC3339),
		counts[Appeared], counts[Resolved], counts[Reopened])
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "\n%-8s %-8s %s on %s", c.Kind, c.Severity, findingName(c), c.Resource)
		if c.AccountID != "" {
			fmt.Fprintf(&b, " (%s %s)", c.AccountID, c.Region)
		}
		b.WriteString("\n")
		for _, cause := range c.Causes {
			fmt.Fprintf(&b, "         %s\n", causeText(c.Kind, cause))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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
