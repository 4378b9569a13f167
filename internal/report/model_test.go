package report

import (
	"errors"
	"testing"

	"github.com/stance-cspm/stance/benchmarks"
)

func outcome(statuses ...string) *benchmarks.Outcome {
	o := &benchmarks.Outcome{Control: &benchmarks.Control{ID: "c"}}
	for _, s := range statuses {
		r := benchmarks.Result{ControlID: "c", Status: s}
		if s == "suppressed" {
			r.Status, r.Suppressed = statusFail, true
		}
		o.Results = append(o.Results, r)
	}
	o.CountResults()
	return o
}

func TestRequirementStatus(t *testing.T) {
	failedRun := outcome()
	failedRun.Err = errors.New("query failed")
	tests := []struct {
		name     string
		outcomes []*benchmarks.Outcome
		want     string
	}{
		{"no control ran", nil, statusSkip},
		{"no results", []*benchmarks.Outcome{outcome()}, statusPass},
		{"only passes", []*benchmarks.Outcome{outcome("pass", "pass")}, statusPass},
		{"only info", []*benchmarks.Outcome{outcome("info")}, statusPass},
		{"one failure among passes", []*benchmarks.Outcome{outcome("pass", "fail", "pass")}, statusFail},
		{"only suppressed failures", []*benchmarks.Outcome{outcome("suppressed", "pass")}, statusPass},
		{"suppressed and open failure", []*benchmarks.Outcome{outcome("suppressed", "fail")}, statusFail},
		{"error without failure", []*benchmarks.Outcome{outcome("pass", "error")}, statusError},
		{"failure beats error", []*benchmarks.Outcome{outcome("error"), outcome("fail")}, statusFail},
		{"outcome error set", []*benchmarks.Outcome{failedRun}, statusError},
		{"only not evaluated", []*benchmarks.Outcome{outcome("skip", "skip")}, statusSkip},
		{"not evaluated and pass", []*benchmarks.Outcome{outcome("skip", "pass")}, statusSkip},
		{"error beats not evaluated", []*benchmarks.Outcome{outcome("skip"), outcome("error")}, statusError},
		{"failure in second control", []*benchmarks.Outcome{outcome("pass"), outcome("skip", "fail")}, statusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := requirementStatus(tt.outcomes); got != tt.want {
				t.Errorf("requirementStatus() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestModelFixtureStatuses(t *testing.T) {
	m := newModel(fixtureRun())
	if len(m.Requirements) != len(wantRequirementStatus) {
		t.Fatalf("got %d requirements, want %d", len(m.Requirements), len(wantRequirementStatus))
	}
	for _, r := range m.Requirements {
		if want := wantRequirementStatus[r.ID]; r.Status != want {
			t.Errorf("requirement %s: got status %q, want %q", r.ID, r.Status, want)
		}
	}
	if got := m.RequirementIDs[controlS3.ID]; len(got) != 2 || got[0] != "3.1.1" || got[1] != "3.1.4" {
		t.Errorf("requirements of %s: got %v, want [3.1.1 3.1.4]", controlS3.ID, got)
	}
	var names []string
	for _, s := range m.Sections {
		names = append(names, s.Name)
	}
	if len(names) != 4 || names[0] != "2 Identity and Access Management" || names[3] != "5 Networking" {
		t.Errorf("got sections %q, want the four sections in manifest order", names)
	}
}

func TestModelKeepsManualOutsideFilter(t *testing.T) {
	run := fixtureRun()
	run.Requirements = run.Requirements[1:] // the section filter dropped 2.1
	m := newModel(run)
	var found *requirementView
	for _, r := range m.Requirements {
		if r.ID == "2.1" {
			found = r
		}
	}
	if found == nil {
		t.Fatal("manual requirement 2.1 is missing from the report")
	}
	if found.Status != statusManual {
		t.Errorf("requirement 2.1: got status %q, want %q", found.Status, statusManual)
	}
}

func TestModelSectionFromID(t *testing.T) {
	run := fixtureRun()
	for i := range run.Requirements {
		run.Requirements[i].Section = ""
	}
	run.Manual = nil
	m := newModel(run)
	want := []string{"2", "3", "4", "5"}
	if len(m.Sections) != len(want) {
		t.Fatalf("got %d sections, want %d", len(m.Sections), len(want))
	}
	for i, s := range m.Sections {
		if s.Name != want[i] {
			t.Errorf("section %d: got %q, want %q", i, s.Name, want[i])
		}
	}
}

func TestModelWithoutBenchmark(t *testing.T) {
	m := newModel(directRun())
	if len(m.Requirements) != 2 {
		t.Fatalf("got %d stand-in requirements, want one per control (2)", len(m.Requirements))
	}
	for _, r := range m.Requirements {
		if !r.Synthetic {
			t.Errorf("requirement %s: got Synthetic false, want true", r.ID)
		}
	}
	if len(m.RequirementIDs) != 0 {
		t.Errorf("got requirement ids %v, want none without a benchmark", m.RequirementIDs)
	}
}

func TestGroupByControlOrder(t *testing.T) {
	m := newModel(fixtureRun())
	groups := m.groupByControl(func(r benchmarks.Result) bool { return r.Status == statusFail })
	var got []string
	for _, g := range groups {
		got = append(got, g.Control.ID)
	}
	want := []string{controlS3.ID, controlIMDS.ID, controlEBS.ID}
	if len(got) != len(want) {
		t.Fatalf("got groups %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("group %d: got %s, want %s (critical, high, medium)", i, got[i], want[i])
		}
	}
	if n := len(groups[0].Results); n != 2 {
		t.Errorf("got %d failures of %s, want 2 (open and suppressed)", n, controlS3.ID)
	}
}
