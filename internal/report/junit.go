package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
)

// JUnit XML elements, in the shape that Jenkins, GitLab and the GitHub
// test reporters read.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// writeJUnit writes one testsuite per section and one testcase per
// requirement and control. A manual requirement, or one whose controls did
// not run, is one skipped testcase. A testcase reports the worst of its
// results: failure, then error, then skipped, so a control with a result
// not evaluated never passes. Suppressed failures pass and are listed in
// system-out.
func writeJUnit(b *bytes.Buffer, m *model) error {
	ref := m.benchmarkRef()
	doc := junitSuites{Name: "stance " + ref}
	if ref == "" {
		doc.Name = "stance controls"
	}
	var total time.Duration
	for _, o := range m.Run.Outcomes {
		total += o.Duration
	}
	doc.Time = seconds(total)

	for _, s := range m.Sections {
		suite := junitSuite{Name: clean(s.Name), Timestamp: m.Run.EvaluatedAt.UTC().Format("2006-01-02T15:04:05")}
		class := clean(strings.TrimSpace(ref + " " + s.Name))
		var suiteTime time.Duration
		for _, r := range s.Requirements {
			for _, c := range junitCases(m, r, class) {
				suite.Tests++
				switch {
				case c.Failure != nil:
					suite.Failures++
				case c.Error != nil:
					suite.Errors++
				case c.Skipped != nil:
					suite.Skipped++
				}
				suite.Cases = append(suite.Cases, c.junitCase)
				suiteTime += c.duration
			}
		}
		suite.Time = seconds(suiteTime)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}

	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteString("\n")
	return nil
}

// timedCase is a testcase with the duration of its control.
type timedCase struct {
	junitCase
	duration time.Duration
}

// junitCases returns the testcases of one requirement.
func junitCases(m *model, r *requirementView, class string) []timedCase {
	prefix := clean(r.ID) + " "
	if r.Synthetic {
		prefix = ""
	}
	if r.Status == statusManual {
		return []timedCase{{junitCase: junitCase{
			ClassName: class, Name: clean(r.ID) + ": " + clean(r.Title), Time: seconds(0),
			Skipped: &junitSkipped{Message: "manual requirement: check it by hand"},
		}}}
	}
	if len(r.Outcomes) == 0 {
		return []timedCase{{junitCase: junitCase{
			ClassName: class, Name: clean(r.ID) + ": " + clean(r.Title), Time: seconds(0),
			Skipped: &junitSkipped{Message: "not evaluated: no control of this requirement ran"},
		}}}
	}
	var out []timedCase
	for _, o := range r.Outcomes {
		c := junitCase{
			ClassName: class,
			Name:      prefix + clean(o.Control.ID) + ": " + clean(o.Control.Title),
			Time:      seconds(o.Duration),
		}
		fillJUnitOutcome(&c, o)
		out = append(out, timedCase{junitCase: c, duration: o.Duration})
	}
	return out
}

// fillJUnitOutcome sets the failure, error, skipped and system-out of a
// testcase from one control's results.
func fillJUnitOutcome(c *junitCase, o *benchmarks.Outcome) {
	var failing, erroring, skipped, suppressed []benchmarks.Result
	for _, r := range o.Results {
		switch {
		case isOpenFailure(r):
			failing = append(failing, r)
		case isSuppressedFailure(r):
			suppressed = append(suppressed, r)
		case isError(r):
			erroring = append(erroring, r)
		case isSkip(r):
			skipped = append(skipped, r)
		}
	}
	switch {
	case len(failing) > 0:
		c.Failure = &junitProblem{
			Message: fmt.Sprintf("%s fail: %s", plural(len(failing), "resource"), clean(failing[0].Reason)),
			Type:    o.Control.Severity,
			Text:    junitLines(failing, erroring),
		}
	case len(erroring) > 0:
		c.Error = &junitProblem{
			Message: clean(erroring[0].Reason),
			Type:    "error",
			Text:    junitLines(erroring),
		}
	case len(skipped) > 0:
		// Part of the estate could not be read, so the control has not
		// passed, as its requirement has not.
		msg := clean(skipped[0].Reason)
		if n := total(o.Counts); len(skipped) < n {
			msg = fmt.Sprintf("%d of %d results not evaluated: %s", len(skipped), n, msg)
		}
		c.Skipped = &junitSkipped{Message: msg}
	}
	if len(suppressed) > 0 {
		c.SystemOut = "suppressed failures:\n" + junitLines(suppressed)
	}
}

// total returns the number of results in counts.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// junitLines lists results one per line as "status resource: reason",
// with the remediation command or suppression on the next line.
func junitLines(groups ...[]benchmarks.Result) string {
	var b strings.Builder
	for _, rs := range groups {
		for _, r := range rs {
			fmt.Fprintf(&b, "%s %s: %s\n", r.Status, render.Sanitize(r.Resource), render.Sanitize(r.Reason))
			if r.RemediationCommand != "" {
				fmt.Fprintf(&b, "  remediation: %s\n", render.Sanitize(r.RemediationCommand))
			}
			if r.Suppressed {
				fmt.Fprintf(&b, "  %s\n", render.Sanitize(r.SuppressionReason))
			}
		}
	}
	return b.String()
}

// seconds formats a duration as JUnit's decimal seconds.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
