package report

import "testing"

func TestAWSPartition(t *testing.T) {
	tests := []struct{ resource, region, want string }{
		{"arn:aws:s3:::bucket", "", "aws"},
		{"arn:aws-cn:s3:::bucket", "us-east-1", "aws-cn"},
		{"arn:aws-us-gov:iam::111122223333:root", "global", "aws-us-gov"},
		{"i-0abc", "cn-northwest-1", "aws-cn"},
		{"i-0abc", "us-gov-west-1", "aws-us-gov"},
		{"i-0abc", "eu-west-1", "aws"},
		{"i-0abc", "global", ""},
		{"i-0abc", "", ""},
		{"arn:", "", ""},
	}
	for _, tt := range tests {
		if got := awsPartition(tt.resource, tt.region); got != tt.want {
			t.Errorf("awsPartition(%q, %q) = %q, want %q", tt.resource, tt.region, got, tt.want)
		}
	}
}

func TestFindingUID(t *testing.T) {
	a := findingUID("control", "arn:aws:s3:::bucket")
	if a != findingUID("control", "arn:aws:s3:::bucket") {
		t.Error("findingUID is not stable for the same control and resource")
	}
	if a == findingUID("control", "arn:aws:s3:::other") {
		t.Error("findingUID is the same for two resources")
	}
	if findingUID("ab", "c") == findingUID("a", "bc") {
		t.Error(`findingUID("ab", "c") equals findingUID("a", "bc")`)
	}
}

func TestOCSFAttacks(t *testing.T) {
	got := ocsfAttacks([]string{"T1530", " T1552.005 ", ""})
	if len(got) != 2 {
		t.Fatalf("got %d attacks, want 2 (the empty id is dropped)", len(got))
	}
	if got[0].Technique.UID != "T1530" || got[0].SubTechnique != nil {
		t.Errorf("T1530: got technique %v and sub-technique %v, want T1530 and none", got[0].Technique, got[0].SubTechnique)
	}
	if got[1].Technique.UID != "T1552" || got[1].SubTechnique == nil || got[1].SubTechnique.UID != "T1552.005" {
		t.Errorf("T1552.005: got technique %v and sub-technique %v, want T1552 and T1552.005", got[1].Technique, got[1].SubTechnique)
	}
	if ocsfAttacks(nil) != nil {
		t.Error("ocsfAttacks(nil) is not nil, so the event would carry an empty attacks list")
	}
}

func TestOCSFSeverity(t *testing.T) {
	tests := []struct {
		severity string
		id       int
		caption  string
	}{
		{"critical", 5, "Critical"}, {"high", 4, "High"}, {"medium", 3, "Medium"},
		{"low", 2, "Low"}, {"info", 1, "Informational"}, {"bogus", 0, "Unknown"},
	}
	m := newModel(fixtureRun())
	for _, tt := range tests {
		r := fixtureRun().Outcomes[1].Results[0]
		r.Severity = tt.severity
		e := newOCSFEvent(m, r, "")
		if e.SeverityID != tt.id || e.Severity != tt.caption {
			t.Errorf("severity %q: got %d %q, want %d %q", tt.severity, e.SeverityID, e.Severity, tt.id, tt.caption)
		}
	}
}
