package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
)

// OCSF 1.1.0 identifiers of a Compliance Finding "Create" event.
const (
	ocsfVersion        = "1.1.0"
	ocsfCategoryUID    = 2 // Findings
	ocsfClassUID       = 2003
	ocsfActivityID     = 1 // Create
	ocsfTypeUID        = ocsfClassUID*100 + ocsfActivityID
	ocsfAWSAccountType = 10 // account.type_id "AWS Account"
)

// ocsfSeverities maps stance severities to OCSF severity_id and its
// caption. An unknown severity maps to 0 Unknown.
var ocsfSeverities = map[string]struct {
	ID      int
	Caption string
}{
	"critical": {5, "Critical"}, "high": {4, "High"}, "medium": {3, "Medium"},
	"low": {2, "Low"}, "info": {1, "Informational"},
}

type ocsfEvent struct {
	ActivityID   int               `json:"activity_id"`
	ActivityName string            `json:"activity_name"`
	CategoryUID  int               `json:"category_uid"`
	CategoryName string            `json:"category_name"`
	ClassUID     int               `json:"class_uid"`
	ClassName    string            `json:"class_name"`
	TypeUID      int               `json:"type_uid"`
	TypeName     string            `json:"type_name"`
	SeverityID   int               `json:"severity_id"`
	Severity     string            `json:"severity"`
	StatusID     int               `json:"status_id"`
	Status       string            `json:"status"`
	Time         int64             `json:"time"`
	Message      string            `json:"message,omitempty"`
	Metadata     ocsfMetadata      `json:"metadata"`
	FindingInfo  ocsfFindingInfo   `json:"finding_info"`
	Compliance   ocsfCompliance    `json:"compliance"`
	Resource     ocsfResource      `json:"resource"`
	Cloud        ocsfCloud         `json:"cloud"`
	Remediation  *ocsfRemediation  `json:"remediation,omitempty"`
	Unmapped     map[string]string `json:"unmapped,omitempty"`
}

type ocsfMetadata struct {
	Version string      `json:"version"`
	Product ocsfProduct `json:"product"`
}

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version,omitempty"`
}

type ocsfFindingInfo struct {
	UID     string       `json:"uid"`
	Title   string       `json:"title"`
	Desc    string       `json:"desc,omitempty"`
	Attacks []ocsfAttack `json:"attacks,omitempty"`
}

// ocsfAttack is one MITRE ATT&CK technique. A sub-technique id such as
// T1552.005 fills sub_technique and its parent technique T1552.
type ocsfAttack struct {
	Technique    *ocsfUID `json:"technique,omitempty"`
	SubTechnique *ocsfUID `json:"sub_technique,omitempty"`
}

type ocsfUID struct {
	UID string `json:"uid"`
}

type ocsfCompliance struct {
	Standards    []string `json:"standards"`
	Requirements []string `json:"requirements,omitempty"`
	Control      string   `json:"control"`
	Status       string   `json:"status"`
	StatusID     int      `json:"status_id"`
	StatusCode   string   `json:"status_code"`
	StatusDetail string   `json:"status_detail,omitempty"`
}

type ocsfResource struct {
	UID            string     `json:"uid"`
	Type           string     `json:"type,omitempty"`
	CloudPartition string     `json:"cloud_partition,omitempty"`
	Region         string     `json:"region,omitempty"`
	Owner          *ocsfOwner `json:"owner,omitempty"`
}

type ocsfOwner struct {
	Account ocsfAccount `json:"account"`
}

type ocsfAccount struct {
	UID    string `json:"uid"`
	TypeID int    `json:"type_id,omitempty"`
	Type   string `json:"type,omitempty"`
}

type ocsfCloud struct {
	Provider string       `json:"provider"`
	Region   string       `json:"region,omitempty"`
	Account  *ocsfAccount `json:"account,omitempty"`
}

type ocsfRemediation struct {
	Desc       string   `json:"desc"`
	References []string `json:"references,omitempty"`
}

// writeOCSF writes a JSON array of Compliance Finding events, worst first.
func writeOCSF(b *bytes.Buffer, m *model, opts Options) error {
	events := []ocsfEvent{}
	for _, r := range m.results() {
		switch r.Status {
		case statusFail, statusError:
		case statusPass:
			if !opts.IncludePass {
				continue
			}
		default:
			continue
		}
		events = append(events, newOCSFEvent(m, r, opts.Version))
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	return enc.Encode(events)
}

// newOCSFEvent builds the Compliance Finding event of one result.
func newOCSFEvent(m *model, r benchmarks.Result, version string) ocsfEvent {
	c := m.control(r.ControlID)
	severity := r.Severity
	if severity == "" {
		severity = c.Severity
	}
	sev, ok := ocsfSeverities[severity]
	if !ok {
		sev.Caption = "Unknown"
	}

	e := ocsfEvent{
		ActivityID: ocsfActivityID, ActivityName: "Create",
		CategoryUID: ocsfCategoryUID, CategoryName: "Findings",
		ClassUID: ocsfClassUID, ClassName: "Compliance Finding",
		TypeUID: ocsfTypeUID, TypeName: "Compliance Finding: Create",
		SeverityID: sev.ID, Severity: sev.Caption,
		Time:    m.Run.EvaluatedAt.UnixMilli(),
		Message: r.Reason,
		Metadata: ocsfMetadata{
			Version: ocsfVersion,
			Product: ocsfProduct{Name: "stance", VendorName: "stance", Version: version},
		},
		FindingInfo: ocsfFindingInfo{
			UID: findingUID(r.ControlID, r.Resource), Title: c.Title, Desc: strings.TrimSpace(c.Description),
			Attacks: ocsfAttacks(c.MitreAttack),
		},
		Compliance: newOCSFCompliance(m, r),
		Resource:   newOCSFResource(r, c),
		Cloud:      ocsfCloud{Provider: cloudProvider(m.Run.Benchmark), Region: r.Region},
	}

	e.StatusID, e.Status = findingStatus(r)
	if r.AccountID != "" {
		e.Cloud.Account = &ocsfAccount{UID: r.AccountID}
	}
	if c.Remediation != "" {
		e.Remediation = &ocsfRemediation{Desc: strings.TrimSpace(c.Remediation), References: c.References}
	}
	e.Unmapped = ocsfUnmapped(r)
	return e
}

// ocsfUnmapped returns the result's fields that OCSF 1.1.0 has no
// attribute for, or nil when it has none of them.
func ocsfUnmapped(r benchmarks.Result) map[string]string {
	out := map[string]string{}
	if r.RemediationCommand != "" {
		out["remediation_command"] = r.RemediationCommand
	}
	if r.Suppressed {
		out["suppression_reason"] = r.SuppressionReason
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// findingStatus returns the finding's triage status: a suppressed failure
// is Suppressed, a pass is Resolved (as AWS Security Hub resolves passed
// control findings), anything else is New.
func findingStatus(r benchmarks.Result) (int, string) {
	switch {
	case r.Suppressed:
		return 3, "Suppressed"
	case r.Status == statusPass:
		return 4, "Resolved"
	}
	return 1, "New"
}

// newOCSFCompliance maps the result's status to the compliance object's
// status_id: 1 Pass, 3 Fail, and 2 Warning for an error, the check that
// yielded no result.
func newOCSFCompliance(m *model, r benchmarks.Result) ocsfCompliance {
	standard := m.benchmarkRef()
	if standard == "" {
		standard = "stance"
	}
	out := ocsfCompliance{
		Standards: []string{standard}, Requirements: m.RequirementIDs[r.ControlID],
		Control: r.ControlID, StatusCode: r.Status, StatusDetail: r.Reason,
	}
	switch r.Status {
	case statusPass:
		out.StatusID, out.Status = 1, "Pass"
	case statusFail:
		out.StatusID, out.Status = 3, "Fail"
	default:
		out.StatusID, out.Status = 2, "Warning"
	}
	return out
}

// newOCSFResource describes the result's resource. The type is the table
// the control reads when it reads exactly one, and the partition comes
// from the resource's ARN or, failing that, from the region name.
func newOCSFResource(r benchmarks.Result, c *benchmarks.Control) ocsfResource {
	out := ocsfResource{UID: r.Resource, Region: r.Region, CloudPartition: awsPartition(r.Resource, r.Region)}
	if len(c.Tables) == 1 {
		out.Type = c.Tables[0]
	}
	if r.AccountID != "" {
		out.Owner = &ocsfOwner{Account: ocsfAccount{UID: r.AccountID, TypeID: ocsfAWSAccountType, Type: "AWS Account"}}
	}
	return out
}

// awsPartition returns the AWS partition of an ARN ("arn:aws-cn:...") or
// of a region name ("cn-north-1"), or "" when neither names one.
func awsPartition(resource, region string) string {
	if rest, ok := strings.CutPrefix(resource, "arn:"); ok {
		if p, _, found := strings.Cut(rest, ":"); found && p != "" {
			return p
		}
	}
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case region == "" || region == "global":
		return ""
	}
	return "aws"
}

// cloudProvider returns the provider name OCSF examples use ("AWS").
func cloudProvider(b *benchmarks.Benchmark) string {
	if b == nil || b.Provider == "" || strings.EqualFold(b.Provider, "aws") {
		return "AWS"
	}
	return b.Provider
}

// ocsfAttacks maps ATT&CK technique ids to attack objects.
func ocsfAttacks(ids []string) []ocsfAttack {
	var out []ocsfAttack
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		parent, _, sub := strings.Cut(id, ".")
		a := ocsfAttack{Technique: &ocsfUID{UID: parent}}
		if sub {
			a.SubTechnique = &ocsfUID{UID: id}
		}
		out = append(out, a)
	}
	return out
}

// findingUID returns a stable id for a control and resource: the hex
// SHA-256 of both, separated by a NUL byte so that ("a", "bc") and
// ("ab", "c") differ.
func findingUID(controlID, resource string) string {
	sum := sha256.Sum256([]byte(controlID + "\x00" + resource))
	return hex.EncodeToString(sum[:])
}
