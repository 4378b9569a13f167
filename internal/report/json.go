package report

import (
	"bytes"
	"encoding/json"

	"github.com/stance-cspm/stance/benchmarks"
)

// jsonReport is the document of the json format.
type jsonReport struct {
	RunID        int64             `json:"run_id,omitempty"`
	Benchmark    *jsonBenchmark    `json:"benchmark"`
	EvaluatedAt  string            `json:"evaluated_at"`
	Counts       jsonCounts        `json:"counts"`
	Requirements []jsonRequirement `json:"requirements"`
	Results      []jsonResult      `json:"results"`
}

type jsonBenchmark struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	Revision int    `json:"revision"`
	Title    string `json:"title"`
	Provider string `json:"provider"`
}

// jsonCounts counts results per status and requirements per status.
type jsonCounts struct {
	Results      map[string]int `json:"results"`
	Suppressed   int            `json:"suppressed"`
	Requirements map[string]int `json:"requirements"`
}

type jsonRequirement struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Section    string   `json:"section"`
	Profile    string   `json:"profile,omitempty"`
	Assessment string   `json:"assessment"`
	Controls   []string `json:"controls"`
	Status     string   `json:"status"`
}

type jsonResult struct {
	ControlID          string   `json:"control_id"`
	Title              string   `json:"title"`
	Severity           string   `json:"severity"`
	MitreAttack        []string `json:"mitre_attack"`
	RequirementIDs     []string `json:"requirement_ids"`
	Status             string   `json:"status"`
	Suppressed         bool     `json:"suppressed"`
	SuppressionReason  string   `json:"suppression_reason,omitempty"`
	Resource           string   `json:"resource"`
	AccountID          string   `json:"account_id"`
	Region             string   `json:"region"`
	Reason             string   `json:"reason"`
	RemediationCommand string   `json:"remediation_command,omitempty"`
}

// writeJSON writes one indented document. encoding/json escapes control
// characters and HTML, so the document is safe to embed and to print.
func writeJSON(b *bytes.Buffer, m *model) error {
	doc := jsonReport{
		RunID:        m.Run.ID,
		EvaluatedAt:  formatTime(m.Run.EvaluatedAt),
		Counts:       jsonCounts{Results: m.Run.Counts(), Requirements: map[string]int{}},
		Requirements: []jsonRequirement{},
		Results:      []jsonResult{},
	}
	if bm := m.Run.Benchmark; bm != nil {
		doc.Benchmark = &jsonBenchmark{Name: bm.Name, Version: bm.Version, Revision: bm.Revision, Title: bm.Title, Provider: bm.Provider}
		for _, r := range m.Requirements {
			doc.Requirements = append(doc.Requirements, jsonRequirement{
				ID: r.ID, Title: r.Title, Section: r.Section, Profile: r.Profile,
				Assessment: r.Assessment, Controls: nonNil(r.Controls), Status: r.Status,
			})
			doc.Counts.Requirements[r.Status]++
		}
	}
	doc.Counts.Suppressed = m.Run.Suppressed()
	for _, r := range m.results() {
		doc.Results = append(doc.Results, newJSONResult(m, r))
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func newJSONResult(m *model, r benchmarks.Result) jsonResult {
	c := m.control(r.ControlID)
	severity := r.Severity
	if severity == "" {
		severity = c.Severity
	}
	return jsonResult{
		ControlID: r.ControlID, Title: c.Title, Severity: severity,
		MitreAttack: nonNil(c.MitreAttack), RequirementIDs: nonNil(m.RequirementIDs[r.ControlID]),
		Status: r.Status, Suppressed: r.Suppressed, SuppressionReason: r.SuppressionReason,
		Resource: r.Resource, AccountID: r.AccountID, Region: r.Region,
		Reason: r.Reason, RemediationCommand: r.RemediationCommand,
	}
}

// nonNil returns an empty list for nil, so that JSON has [] and not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
