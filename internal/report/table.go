package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
)

// ANSI SGR sequences of the table format.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// severityColors colours the severity labels of the table format.
var severityColors = map[string]string{
	"critical": ansiBold + ansiRed, "high": ansiRed, "medium": ansiYellow, "low": ansiCyan,
}

// tableWriter writes the terminal report. Every value from the run goes
// through clean before it reaches the buffer.
type tableWriter struct {
	b    *bytes.Buffer
	m    *model
	opts Options
}

func writeTable(b *bytes.Buffer, m *model, opts Options) error {
	t := &tableWriter{b: b, m: m, opts: opts}
	t.header()
	t.summary()
	t.failures()
	t.blocks()
	t.manual()
	t.totals()
	return nil
}

// clean makes an untrusted value safe for a terminal.
func clean(s string) string { return render.Sanitize(s) }

// paint wraps s in an SGR sequence when colours are on.
func (t *tableWriter) paint(code, s string) string {
	if !t.opts.Color || code == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *tableWriter) header() {
	run := t.m.Run
	if b := run.Benchmark; b != nil {
		title := b.Title
		if title == "" {
			title = b.Name
		}
		fmt.Fprintln(t.b, t.paint(ansiBold, clean(title)))
		fmt.Fprintf(t.b, "%s, revision %d, evaluated at %s\n\n", clean(b.Ref()), b.Revision, formatTime(run.EvaluatedAt))
		return
	}
	fmt.Fprintln(t.b, t.paint(ansiBold, "Controls run without a benchmark"))
	fmt.Fprintf(t.b, "Evaluated at %s\n\n", formatTime(run.EvaluatedAt))
}

// summary writes one row per section with the number of requirements per
// status, and a total row.
func (t *tableWriter) summary() {
	heading := "REQUIREMENTS BY SECTION"
	if t.m.Run.Benchmark == nil {
		heading = "CONTROLS"
	}
	fmt.Fprintln(t.b, t.paint(ansiBold, heading))
	names := []string{"SECTION", "Total"}
	for _, s := range t.m.Sections {
		names = append(names, clean(s.Name))
	}
	width := 0
	for _, n := range names {
		width = max(width, utf8.RuneCountInString(n))
	}

	row := func(name string, counts map[string]int, header bool) {
		t.b.WriteString(name + strings.Repeat(" ", width-utf8.RuneCountInString(name)))
		for _, st := range requirementStatuses {
			cell := strings.ToUpper(st)
			if !header {
				cell = fmt.Sprint(counts[st])
			}
			cell = fmt.Sprintf("%*s", max(len(st), 4)+2, cell)
			if !header && counts[st] > 0 {
				cell = t.paint(statusColor(st), cell)
			}
			t.b.WriteString(cell)
		}
		t.b.WriteByte('\n')
	}
	row("SECTION", nil, true)
	total := map[string]int{}
	for _, s := range t.m.Sections {
		c := s.counts()
		for k, v := range c {
			total[k] += v
		}
		row(clean(s.Name), c, false)
	}
	row("Total", total, false)
	t.b.WriteByte('\n')
}

func statusColor(status string) string {
	switch status {
	case statusPass:
		return ansiGreen
	case statusFail:
		return ansiRed
	case statusError:
		return ansiYellow
	}
	return ""
}

// failures writes the unsuppressed and then the suppressed failures,
// worst severity first.
func (t *tableWriter) failures() {
	open := t.m.groupByControl(isOpenFailure)
	t.heading("FAILING", open)
	if len(open) == 0 {
		t.b.WriteString("No failing results.\n\n")
	}
	for _, g := range open {
		t.failureGroup(g, false)
	}
	suppressed := t.m.groupByControl(isSuppressedFailure)
	if len(suppressed) == 0 {
		return
	}
	t.heading("SUPPRESSED FAILURES", suppressed)
	for _, g := range suppressed {
		t.failureGroup(g, true)
	}
}

// heading writes a block title with its number of results and controls.
func (t *tableWriter) heading(title string, groups []controlGroup) {
	n := 0
	for _, g := range groups {
		n += len(g.Results)
	}
	fmt.Fprintf(t.b, "%s  %s in %s\n\n", t.paint(ansiBold, title), plural(n, "result"), plural(len(groups), "control"))
}

func (t *tableWriter) failureGroup(g controlGroup, suppressed bool) {
	c := g.Control
	label := fmt.Sprintf("[%s]", strings.ToUpper(clean(c.Severity)))
	fmt.Fprintf(t.b, "%s %s: %s\n", t.paint(severityColors[c.Severity], label), clean(c.ID), clean(c.Title))
	if ids := t.m.RequirementIDs[c.ID]; len(ids) > 0 {
		fmt.Fprintf(t.b, "  requirements: %s\n", clean(strings.Join(ids, ", ")))
	}
	listed := min(len(g.Results), t.opts.MaxRows)
	for _, r := range g.Results[:listed] {
		fmt.Fprintf(t.b, "  - %s%s\n", clean(r.Resource), location(r))
		fmt.Fprintf(t.b, "    reason: %s\n", clean(r.Reason))
		if r.RemediationCommand != "" {
			fmt.Fprintf(t.b, "    remediation: %s\n", clean(r.RemediationCommand))
		}
		if suppressed {
			fmt.Fprintf(t.b, "    %s %s\n", t.paint(ansiYellow, "suppressed:"), clean(r.SuppressionReason))
		}
	}
	t.more(len(g.Results) - listed)
	t.b.WriteByte('\n')
}

// more notes the rows that MaxRows left out.
func (t *tableWriter) more(hidden int) {
	if hidden > 0 {
		fmt.Fprintf(t.b, "  … %d more not listed: the json and csv formats list every result\n", hidden)
	}
}

// blocks writes the errors and the results not evaluated, grouped by
// control.
func (t *tableWriter) blocks() {
	for _, block := range []struct {
		title string
		keep  func(benchmarks.Result) bool
	}{
		{"ERRORS", isError},
		{"NOT EVALUATED", isSkip},
	} {
		groups := t.m.groupByControl(block.keep)
		if len(groups) == 0 {
			continue
		}
		t.heading(block.title, groups)
		for _, g := range groups {
			fmt.Fprintf(t.b, "%s: %s\n", clean(g.Control.ID), clean(g.Control.Title))
			listed := min(len(g.Results), t.opts.MaxRows)
			for _, r := range g.Results[:listed] {
				// An erroring control reports its own id as the resource,
				// and a table never synced reports "/": neither adds
				// anything to the reason.
				if r.Resource == g.Control.ID || r.Resource == "/" {
					fmt.Fprintf(t.b, "  - %s\n", clean(r.Reason))
					continue
				}
				fmt.Fprintf(t.b, "  - %s: %s\n", clean(r.Resource), clean(r.Reason))
			}
			t.more(len(g.Results) - listed)
			t.b.WriteByte('\n')
		}
	}
}

func (t *tableWriter) manual() {
	var manual []*requirementView
	for _, r := range t.m.Requirements {
		if r.Status == statusManual {
			manual = append(manual, r)
		}
	}
	if len(manual) == 0 {
		return
	}
	fmt.Fprintf(t.b, "%s  %s to check by hand\n", t.paint(ansiBold, "MANUAL"), plural(len(manual), "requirement"))
	for _, r := range manual {
		fmt.Fprintf(t.b, "  %s  %s\n", clean(r.ID), clean(r.Title))
	}
	t.b.WriteByte('\n')
}

// totals writes the number of results per status.
func (t *tableWriter) totals() {
	counts := t.m.Run.Counts()
	suppressed := t.m.Run.Suppressed()
	fmt.Fprintf(t.b, "Results: %d pass, %d fail (%d suppressed), %d error, %d not evaluated, %d info\n",
		counts[statusPass], counts[statusFail], suppressed, counts[statusError], counts[statusSkip], counts[benchmarks.StatusInfo])
}

// location returns " (account A, region R)" for a result, leaving out the
// parts it lacks.
func location(r benchmarks.Result) string {
	var parts []string
	if r.AccountID != "" {
		parts = append(parts, "account "+clean(r.AccountID))
	}
	if r.Region != "" {
		parts = append(parts, "region "+clean(r.Region))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// formatTime writes a time in RFC 3339, UTC.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
