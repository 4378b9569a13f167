package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
)

// markdownEscaper escapes Markdown punctuation that could start emphasis,
// code, links or a table cell, and the HTML that renderers pass through.
// The backslash comes first so that the escapes it adds stay intact.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
)

// md makes an untrusted value safe for one line of Markdown: no control
// character, no HTML, no Markdown markup, no cell break.
func md(s string) string {
	return markdownEscaper.Replace(render.Sanitize(s))
}

// writeMarkdown writes a summary per section, the status of every
// requirement, then the failing, suppressed, erroring and not evaluated
// results, and the manual requirements.
func writeMarkdown(b *bytes.Buffer, m *model) error {
	markdownHeader(b, m)
	markdownSummary(b, m)
	markdownRequirements(b, m)

	markdownResults(b, m, "Failing results", isOpenFailure, failureTable)
	markdownResults(b, m, "Suppressed failures", isSuppressedFailure, suppressedTable)
	markdownResults(b, m, "Errors", isError, plainTable)
	markdownResults(b, m, "Not evaluated", isSkip, plainTable)

	var manual []string
	for _, r := range m.Requirements {
		if r.Status == statusManual {
			manual = append(manual, fmt.Sprintf("- %s %s\n", md(r.ID), md(r.Title)))
		}
	}
	if len(manual) > 0 {
		b.WriteString("## Manual requirements\n\nCheck these by hand.\n\n")
		b.WriteString(strings.Join(manual, ""))
		b.WriteString("\n")
	}
	return nil
}

func markdownHeader(b *bytes.Buffer, m *model) {
	if bm := m.Run.Benchmark; bm != nil {
		title := bm.Title
		if title == "" {
			title = bm.Name
		}
		fmt.Fprintf(b, "# %s\n\n%s, revision %d, evaluated at %s.\n\n", md(title), md(bm.Ref()), bm.Revision, formatTime(m.Run.EvaluatedAt))
		return
	}
	fmt.Fprintf(b, "# Controls run without a benchmark\n\nEvaluated at %s.\n\n", formatTime(m.Run.EvaluatedAt))
}

// markdownSummary writes one row per section with the number of
// requirements per status.
func markdownSummary(b *bytes.Buffer, m *model) {
	b.WriteString("## Summary\n\n| Section | Pass | Fail | Error | Skip | Manual |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	total := map[string]int{}
	for _, s := range m.Sections {
		c := s.counts()
		fmt.Fprintf(b, "| %s |", md(s.Name))
		for _, st := range requirementStatuses {
			fmt.Fprintf(b, " %d |", c[st])
			total[st] += c[st]
		}
		b.WriteString("\n")
	}
	b.WriteString("| **Total** |")
	for _, st := range requirementStatuses {
		fmt.Fprintf(b, " **%d** |", total[st])
	}
	b.WriteString("\n\n")
}

// markdownRequirements writes a table of requirement statuses per section.
func markdownRequirements(b *bytes.Buffer, m *model) {
	if m.Run.Benchmark == nil {
		return
	}
	b.WriteString("## Requirements\n\n")
	for _, s := range m.Sections {
		fmt.Fprintf(b, "### %s\n\n| Requirement | Title | Status |\n| --- | --- | --- |\n", md(s.Name))
		for _, r := range s.Requirements {
			fmt.Fprintf(b, "| %s | %s | %s |\n", md(r.ID), md(r.Title), r.Status)
		}
		b.WriteString("\n")
	}
}

// Columns of a Markdown result table.
const (
	// plainTable lists control, resource and reason.
	plainTable = iota
	// failureTable adds severity, requirements, account, region and the
	// remediation command.
	failureTable
	// suppressedTable is a failureTable with the suppression in place of
	// the remediation command.
	suppressedTable
)

// markdownResults writes one table row per result that keep() accepts,
// with the columns of the given table kind.
func markdownResults(b *bytes.Buffer, m *model, title string, keep func(benchmarks.Result) bool, kind int) {
	groups := m.groupByControl(keep)
	if len(groups) == 0 {
		return
	}
	fmt.Fprintf(b, "## %s\n\n", title)
	switch kind {
	case failureTable:
		b.WriteString("| Severity | Control | Requirements | Resource | Account | Region | Reason | Remediation |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	case suppressedTable:
		b.WriteString("| Severity | Control | Requirements | Resource | Account | Region | Reason | Suppression |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	default:
		b.WriteString("| Control | Resource | Reason |\n| --- | --- | --- |\n")
	}
	for _, g := range groups {
		control := md(g.Control.ID) + ": " + md(g.Control.Title)
		for _, r := range g.Results {
			if kind == plainTable {
				fmt.Fprintf(b, "| %s | %s | %s |\n", control, md(r.Resource), md(r.Reason))
				continue
			}
			last := md(r.RemediationCommand)
			if kind == suppressedTable {
				last = md(r.SuppressionReason)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
				md(g.Control.Severity), control, md(strings.Join(m.RequirementIDs[g.Control.ID], ", ")),
				md(r.Resource), md(r.AccountID), md(r.Region), md(r.Reason), last)
		}
	}
	b.WriteString("\n")
}
