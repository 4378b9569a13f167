package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
)

// csvHeader is the first row of the csv format.
var csvHeader = []string{
	"benchmark", "version", "revision", "requirement_ids", "control_id", "severity", "status",
	"suppressed", "resource", "account_id", "region", "reason", "remediation_command",
}

// writeCSV writes one row per result, worst first.
func writeCSV(b *bytes.Buffer, m *model) error {
	w := csv.NewWriter(b)
	if err := w.Write(csvHeader); err != nil {
		return err
	}
	var name, version, revision string
	if bm := m.Run.Benchmark; bm != nil {
		name, version, revision = bm.Name, bm.Version, strconv.Itoa(bm.Revision)
	}
	for _, r := range m.results() {
		severity := r.Severity
		if severity == "" {
			severity = m.control(r.ControlID).Severity
		}
		row := []string{
			name, version, revision, strings.Join(m.RequirementIDs[r.ControlID], " "), r.ControlID, severity, r.Status,
			strconv.FormatBool(r.Suppressed), r.Resource, r.AccountID, r.Region, r.Reason, r.RemediationCommand,
		}
		for i := range row {
			row[i] = defuseFormula(row[i])
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// defuseFormula prefixes a single quote to a cell that a spreadsheet would
// run as a formula: one starting with =, +, -, @, tab or carriage return.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
