package report

import (
	"sort"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
)

// Requirement statuses. They extend the result statuses of package
// benchmarks with manual.
const (
	statusPass   = benchmarks.StatusPass
	statusFail   = benchmarks.StatusFail
	statusError  = benchmarks.StatusError
	statusSkip   = benchmarks.StatusSkip
	statusManual = "manual"
)

// requirementStatuses is the column order of the summaries.
var requirementStatuses = []string{statusPass, statusFail, statusError, statusSkip, statusManual}

// requirementView is a requirement with the outcomes of its controls and
// the status derived from them.
type requirementView struct {
	benchmarks.Requirement
	Status   string
	Outcomes []*benchmarks.Outcome
	// Synthetic marks a stand-in requirement for a control run without a
	// benchmark.
	Synthetic bool
}

// sectionView is the requirements of one section, in manifest order.
type sectionView struct {
	Name         string
	Requirements []*requirementView
}

// counts returns the number of requirements of the section per status.
func (s *sectionView) counts() map[string]int {
	out := map[string]int{}
	for _, r := range s.Requirements {
		out[r.Status]++
	}
	return out
}

// model is the view of a run that every format reads: its requirements
// with their status, grouped in sections, and the requirement ids of each
// control.
type model struct {
	Run          *benchmarks.Run
	Requirements []*requirementView
	Sections     []*sectionView
	// RequirementIDs maps a control id to the ids of the real
	// requirements it serves, in manifest order. It is empty for a run
	// without a benchmark.
	RequirementIDs map[string][]string
	outcomes       map[string]*benchmarks.Outcome
}

// newModel derives requirement statuses and sections from a run. A run
// without a benchmark gets one stand-in requirement per control, in a
// section named "Controls", so that the summaries still have rows.
func newModel(run *benchmarks.Run) *model {
	m := &model{Run: run, RequirementIDs: map[string][]string{}, outcomes: map[string]*benchmarks.Outcome{}}
	for i := range run.Outcomes {
		o := &run.Outcomes[i]
		if o.Control != nil {
			m.outcomes[o.Control.ID] = o
		}
	}

	manual := map[string]bool{}
	for _, r := range run.Manual {
		manual[r.ID] = true
	}
	reqs := run.Requirements
	if run.Benchmark == nil {
		reqs = syntheticRequirements(run)
	} else {
		reqs = withManual(reqs, run.Manual)
	}
	for _, r := range reqs {
		view := &requirementView{Requirement: r, Synthetic: run.Benchmark == nil}
		for _, id := range r.Controls {
			if o, ok := m.outcomes[id]; ok {
				view.Outcomes = append(view.Outcomes, o)
			}
			if !view.Synthetic {
				m.RequirementIDs[id] = append(m.RequirementIDs[id], r.ID)
			}
		}
		if manual[r.ID] || r.Assessment == "manual" {
			view.Status = statusManual
		} else {
			view.Status = requirementStatus(view.Outcomes)
		}
		m.Requirements = append(m.Requirements, view)
	}
	m.Sections = groupSections(m.Requirements)
	return m
}

// syntheticRequirements returns one requirement per control of a run
// without a benchmark.
func syntheticRequirements(run *benchmarks.Run) []benchmarks.Requirement {
	var out []benchmarks.Requirement
	for _, o := range run.Outcomes {
		if o.Control == nil {
			continue
		}
		out = append(out, benchmarks.Requirement{
			ID: o.Control.ID, Title: o.Control.Title, Section: "Controls",
			Assessment: "automated", Controls: []string{o.Control.ID},
		})
	}
	return out
}

// withManual appends the manual requirements that the filtered list lacks,
// so that a manual requirement is never dropped.
func withManual(reqs, manual []benchmarks.Requirement) []benchmarks.Requirement {
	seen := map[string]bool{}
	for _, r := range reqs {
		seen[r.ID] = true
	}
	out := append([]benchmarks.Requirement(nil), reqs...)
	for _, r := range manual {
		if !seen[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// requirementStatus derives a requirement's status from its controls'
// results, as the package documentation describes.
func requirementStatus(outcomes []*benchmarks.Outcome) string {
	if len(outcomes) == 0 {
		return statusSkip
	}
	// A requirement passes only when every result it got was evaluated:
	// one account or region that could not be read makes it skip, never
	// pass.
	var failed, errored, skipped bool
	for _, o := range outcomes {
		if o.Err != nil || o.Counts[statusError] > 0 {
			errored = true
		}
		if o.Counts[statusFail] > o.Suppressed {
			failed = true
		}
		if o.Counts[statusSkip] > 0 {
			skipped = true
		}
	}
	switch {
	case failed:
		return statusFail
	case errored:
		return statusError
	case skipped:
		return statusSkip
	}
	return statusPass
}

// groupSections groups requirements by section, keeping the order in
// which sections first appear.
func groupSections(reqs []*requirementView) []*sectionView {
	var out []*sectionView
	index := map[string]*sectionView{}
	for _, r := range reqs {
		name := sectionName(r.Requirement)
		s, ok := index[name]
		if !ok {
			s = &sectionView{Name: name}
			index[name] = s
			out = append(out, s)
		}
		s.Requirements = append(s.Requirements, r)
	}
	return out
}

// sectionName returns the requirement's section, or the first part of its
// id ("2" for "2.1.4") when the manifest gives none.
func sectionName(r benchmarks.Requirement) string {
	if r.Section != "" {
		return r.Section
	}
	first, _, _ := strings.Cut(r.ID, ".")
	return first
}

// benchmarkRef returns "name@version", or "" without a benchmark.
func (m *model) benchmarkRef() string {
	if m.Run.Benchmark == nil {
		return ""
	}
	return m.Run.Benchmark.Ref()
}

// results returns every result of the run with its outcome, sorted worst
// first by benchmarks.SortResults.
func (m *model) results() []benchmarks.Result {
	var out []benchmarks.Result
	for _, o := range m.Run.Outcomes {
		out = append(out, o.Results...)
	}
	benchmarks.SortResults(out)
	return out
}

// control returns the control of a result, or a stand-in with only the id
// when the run has no outcome for it.
func (m *model) control(id string) *benchmarks.Control {
	if o, ok := m.outcomes[id]; ok && o.Control != nil {
		return o.Control
	}
	return &benchmarks.Control{ID: id}
}

// controlGroup is the results of one control that share a status block in
// a report, such as its unsuppressed failures.
type controlGroup struct {
	Control *benchmarks.Control
	Results []benchmarks.Result
}

// groupByControl returns the results that keep() accepts, grouped by
// control, worst severity first, then by control id. Within a control,
// results keep the SortResults order.
func (m *model) groupByControl(keep func(benchmarks.Result) bool) []controlGroup {
	index := map[string]int{}
	var out []controlGroup
	for _, r := range m.results() {
		if !keep(r) {
			continue
		}
		i, ok := index[r.ControlID]
		if !ok {
			i = len(out)
			index[r.ControlID] = i
			out = append(out, controlGroup{Control: m.control(r.ControlID)})
		}
		out[i].Results = append(out[i].Results, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := severityOrder(out[i].Control.Severity), severityOrder(out[j].Control.Severity)
		if a != b {
			return a < b
		}
		return out[i].Control.ID < out[j].Control.ID
	})
	return out
}

// severityOrder ranks a severity for sorting, unknown severities last.
func severityOrder(s string) int {
	if r := benchmarks.SeverityRank(s); r >= 0 {
		return r
	}
	return len(benchmarks.Severities)
}

// Result filters shared by the formats.
func isOpenFailure(r benchmarks.Result) bool       { return r.Status == statusFail && !r.Suppressed }
func isSuppressedFailure(r benchmarks.Result) bool { return r.Status == statusFail && r.Suppressed }
func isError(r benchmarks.Result) bool             { return r.Status == statusError }
func isSkip(r benchmarks.Result) bool              { return r.Status == statusSkip }
