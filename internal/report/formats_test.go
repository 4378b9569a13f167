package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stance-cspm/stance/benchmarks"
)

func write(t *testing.T, format string, run *benchmarks.Run, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, run, opts); err != nil {
		t.Fatalf("Write(%q) returned %v", format, err)
	}
	return b.String()
}

func TestWriteEveryFormat(t *testing.T) {
	for _, format := range Formats {
		for name, run := range map[string]func() *benchmarks.Run{"benchmark": fixtureRun, "direct": directRun} {
			t.Run(format+"/"+name, func(t *testing.T) {
				if out := write(t, format, run(), Options{}); out == "" {
					t.Errorf("got empty %s output", format)
				}
			})
		}
	}
}

func TestWriteRejectsBadInput(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, "pdf", fixtureRun(), Options{})
	if err == nil || !strings.Contains(err.Error(), `"pdf"`) || !strings.Contains(err.Error(), "junit") {
		t.Errorf("Write(pdf) returned %v, want an error naming the format and the accepted ones", err)
	}
	if err := Write(&b, "json", nil, Options{}); err == nil {
		t.Error("Write(nil run) returned nil, want an error")
	}
	if b.Len() != 0 {
		t.Errorf("got %d bytes written on error, want 0", b.Len())
	}
}

func TestJSONParsesBack(t *testing.T) {
	var doc jsonReport
	if err := json.Unmarshal([]byte(write(t, "json", fixtureRun(), Options{})), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	if doc.Benchmark == nil || doc.Benchmark.Version != "6.0.0" || doc.RunID != 7 {
		t.Errorf("got benchmark %+v and run id %d, want cis_aws 6.0.0 and 7", doc.Benchmark, doc.RunID)
	}
	for _, r := range doc.Requirements {
		if want := wantRequirementStatus[r.ID]; r.Status != want {
			t.Errorf("requirement %s: got status %q, want %q", r.ID, r.Status, want)
		}
	}
	if len(doc.Results) != 10 {
		t.Errorf("got %d results, want 10", len(doc.Results))
	}
	if doc.Counts.Suppressed != 2 || doc.Counts.Results["fail"] != 4 {
		t.Errorf("got counts %+v, want 4 fail of which 2 suppressed", doc.Counts)
	}
	var hostile *jsonResult
	for i, r := range doc.Results {
		if r.Status == "fail" && r.ControlID == controlIMDS.ID {
			hostile = &doc.Results[i]
		}
	}
	if hostile == nil {
		t.Fatal("failing IMDS result is missing")
	}
	if hostile.Resource != hostileResource || hostile.Reason != hostileReason {
		t.Errorf("hostile values did not round-trip: got %q and %q", hostile.Resource, hostile.Reason)
	}
	if len(hostile.MitreAttack) != 1 || hostile.MitreAttack[0] != "T1552.005" || hostile.Title != controlIMDS.Title {
		t.Errorf("got control metadata %v %q, want T1552.005 and the control title", hostile.MitreAttack, hostile.Title)
	}
}

func TestJSONWithoutBenchmark(t *testing.T) {
	out := write(t, "json", directRun(), Options{})
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	if doc["benchmark"] != nil {
		t.Errorf("got benchmark %v, want null", doc["benchmark"])
	}
	if reqs, ok := doc["requirements"].([]any); !ok || len(reqs) != 0 {
		t.Errorf("got requirements %v, want an empty list", doc["requirements"])
	}
}

// junitDoc reads JUnit XML back with the counts a CI dashboard reads.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			ClassName string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error   *struct{} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitCounts(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal([]byte(write(t, "junit", fixtureRun(), Options{})), &doc); err != nil {
		t.Fatalf("junit output does not parse: %v", err)
	}
	// 2.1 manual, 2.4 pass, 3.1.1 and 3.1.4 fail (one control, two
	// requirements), 3.2.1 pass (suppressed only), 4.1 error, 4.8 skip,
	// 5.6 fail.
	if doc.Tests != 8 || doc.Failures != 3 || doc.Errors != 1 || doc.Skipped != 2 {
		t.Errorf("got tests=%d failures=%d errors=%d skipped=%d, want 8, 3, 1, 2",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	var tests, failures, errs, skipped int
	for _, s := range doc.Suites {
		var f, e, sk int
		for _, c := range s.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
			if c.Skipped != nil {
				sk++
			}
			if !strings.HasPrefix(c.ClassName, "cis_aws@6.0.0 ") {
				t.Errorf("testcase %q: got classname %q, want cis_aws@6.0.0 and the section", c.Name, c.ClassName)
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != sk {
			t.Errorf("suite %q: attributes say %d/%d/%d/%d, elements are %d/%d/%d/%d (tests/failures/errors/skipped)",
				s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, sk)
		}
		tests, failures, errs, skipped = tests+s.Tests, failures+s.Failures, errs+s.Errors, skipped+s.Skipped
	}
	if tests != doc.Tests || failures != doc.Failures || errs != doc.Errors || skipped != doc.Skipped {
		t.Errorf("testsuites totals %d/%d/%d/%d differ from the sum of suites %d/%d/%d/%d",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failures, errs, skipped)
	}
}

func TestJUnitCaseContent(t *testing.T) {
	var doc junitDoc
	if err := xml.Unmarshal([]byte(write(t, "junit", fixtureRun(), Options{})), &doc); err != nil {
		t.Fatalf("junit output does not parse: %v", err)
	}
	cases := map[string]string{} // name -> failure type or skip message
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				cases[c.Name] = "failure:" + c.Failure.Type
				if c.Name == "5.6 "+controlIMDS.ID+": "+controlIMDS.Title && !strings.Contains(c.Failure.Text, "i-0bad") {
					t.Errorf("failure text %q does not list the failing resource", c.Failure.Text)
				}
			case c.Skipped != nil:
				cases[c.Name] = "skipped:" + c.Skipped.Message
			default:
				cases[c.Name] = "pass"
			}
		}
	}
	want := map[string]string{
		"2.1: Maintain current contact details":              "skipped:manual requirement: check it by hand",
		"3.1.1 " + controlS3.ID + ": " + controlS3.Title:     "failure:critical",
		"3.1.4 " + controlS3.ID + ": " + controlS3.Title:     "failure:critical",
		"3.2.1 " + controlEBS.ID + ": " + controlEBS.Title:   "pass",
		"4.8 " + controlKMS.ID + ": " + controlKMS.Title:     "skipped:not evaluated: table aws_kms_key was never synced; run 'stance sync' first",
		"5.6 " + controlIMDS.ID + ": " + controlIMDS.Title:   "failure:high",
		"2.4 " + controlMFA.ID + ": " + controlMFA.Title:     "pass",
		"4.1 " + controlTrail.ID + ": " + controlTrail.Title: "",
	}
	for name, w := range want {
		got, ok := cases[name]
		if !ok {
			t.Errorf("testcase %q is missing", name)
			continue
		}
		if w != "" && got != w {
			t.Errorf("testcase %q: got %q, want %q", name, got, w)
		}
	}
}

func TestOCSFEvents(t *testing.T) {
	var events []map[string]any
	if err := json.Unmarshal([]byte(write(t, "ocsf", fixtureRun(), Options{Version: "9.9.9"})), &events); err != nil {
		t.Fatalf("ocsf output does not parse: %v", err)
	}
	// 4 failures (2 suppressed) and 1 error. Passes and skips are left out.
	if len(events) != 5 {
		t.Fatalf("got %d events, want 5", len(events))
	}
	uids := map[string]bool{}
	for i, e := range events {
		for key, want := range map[string]float64{"class_uid": 2003, "category_uid": 2, "activity_id": 1, "type_uid": 200301, "time": 1714564800000} {
			if got, _ := e[key].(float64); got != want {
				t.Errorf("event %d: got %s %v, want %v", i, key, e[key], want)
			}
		}
		if v := lookup(e, "metadata", "version"); v != "1.1.0" {
			t.Errorf("event %d: got metadata.version %v, want 1.1.0", i, v)
		}
		if v := lookup(e, "metadata", "product", "version"); v != "9.9.9" {
			t.Errorf("event %d: got metadata.product.version %v, want 9.9.9", i, v)
		}
		uid, _ := lookup(e, "finding_info", "uid").(string)
		if len(uid) != 64 || uids[uid] {
			t.Errorf("event %d: finding_info.uid %q is not a distinct SHA-256", i, uid)
		}
		uids[uid] = true
	}

	// Index events by control and finding status: each pair is unique in
	// the fixture.
	byControl := map[string]map[string]any{}
	for _, e := range events {
		byControl[fmt.Sprint(lookup(e, "compliance", "control"))+"/"+fmt.Sprint(lookup(e, "status"))] = e
	}
	imds := byControl[controlIMDS.ID+"/New"]
	if imds == nil {
		t.Fatal("no event for the failing IMDS result")
	}
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"severity_id"}, float64(4)},
		{[]string{"compliance", "status_id"}, float64(3)},
		{[]string{"resource", "uid"}, hostileResource},
		{[]string{"resource", "owner", "account", "uid"}, "111122223333"},
		{[]string{"cloud", "provider"}, "AWS"},
		{[]string{"message"}, hostileReason},
	}
	for _, c := range checks {
		if got := lookup(imds, c.path...); got != c.want {
			t.Errorf("IMDS event %s: got %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}
	attacks, _ := lookup(imds, "finding_info", "attacks").([]any)
	if len(attacks) != 1 || lookup(attacks[0].(map[string]any), "sub_technique", "uid") != "T1552.005" ||
		lookup(attacks[0].(map[string]any), "technique", "uid") != "T1552" {
		t.Errorf("got attacks %v, want technique T1552 with sub-technique T1552.005", attacks)
	}
	if e := byControl[controlEBS.ID+"/Suppressed"]; e == nil || lookup(e, "unmapped", "suppression_reason") == nil {
		t.Errorf("suppressed EBS failure: got %v, want status Suppressed with its reason", e)
	}
	if e := byControl[controlTrail.ID+"/New"]; e == nil || lookup(e, "compliance", "status_id") != float64(2) {
		t.Errorf("erroring trail control: got %v, want compliance status_id 2 (Warning)", e)
	}
}

func TestOCSFIncludePass(t *testing.T) {
	var events []map[string]any
	if err := json.Unmarshal([]byte(write(t, "ocsf", fixtureRun(), Options{IncludePass: true})), &events); err != nil {
		t.Fatalf("ocsf output does not parse: %v", err)
	}
	passes := 0
	for _, e := range events {
		if lookup(e, "compliance", "status") == "Pass" {
			passes++
			if lookup(e, "status") != "Resolved" || lookup(e, "compliance", "status_id") != float64(1) {
				t.Errorf("passing event: got status %v and compliance status_id %v, want Resolved and 1",
					lookup(e, "status"), lookup(e, "compliance", "status_id"))
			}
		}
	}
	if len(events) != 8 || passes != 3 {
		t.Errorf("got %d events with %d passes, want 8 with 3", len(events), passes)
	}
}

func TestOCSFEmptyIsArray(t *testing.T) {
	run := fixtureRun()
	run.Outcomes = nil
	if out := strings.TrimSpace(write(t, "ocsf", run, Options{})); out != "[]" {
		t.Errorf("got %q, want [] for a run without results", out)
	}
}

// lookup follows keys through nested JSON objects.
func lookup(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestCSVParsesBack(t *testing.T) {
	rows, err := csv.NewReader(strings.NewReader(write(t, "csv", fixtureRun(), Options{}))).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not parse: %v", err)
	}
	if len(rows) != 11 {
		t.Fatalf("got %d rows, want a header and 10 results", len(rows))
	}
	if strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("got header %v, want %v", rows[0], csvHeader)
	}
	var hostile []string
	for _, r := range rows[1:] {
		if len(r) != len(csvHeader) {
			t.Errorf("row %v has %d cells, want %d", r, len(r), len(csvHeader))
		}
		if r[4] == controlIMDS.ID && r[6] == "fail" {
			hostile = r
		}
		if r[4] == controlS3.ID && r[3] != "3.1.1 3.1.4" {
			t.Errorf("S3 row: got requirement_ids %q, want %q", r[3], "3.1.1 3.1.4")
		}
	}
	if hostile == nil {
		t.Fatal("failing IMDS row is missing")
	}
	if hostile[8] != hostileResource {
		t.Errorf("got resource %q, want it unchanged %q", hostile[8], hostileResource)
	}
	if hostile[11] != "'"+hostileReason {
		t.Errorf("got reason %q, want it behind a single quote so it is no formula", hostile[11])
	}
}

func TestDefuseFormula(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"arn:aws:s3:::b", "arn:aws:s3:::b"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := defuseFormula(tt.in); got != tt.want {
			t.Errorf("defuseFormula(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sgr matches the colour sequences the table format writes itself.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestTableEscapesHostileValues(t *testing.T) {
	for _, color := range []bool{false, true} {
		out := write(t, "table", fixtureRun(), Options{Color: color})
		if !color && strings.Contains(out, "\x1b") {
			t.Errorf("table without colour contains an escape byte")
		}
		rest := sgr.ReplaceAllStringFunc(out, func(s string) string {
			switch s {
			case ansiReset, ansiBold, ansiRed, ansiGreen, ansiYellow, ansiCyan:
				return ""
			}
			return s
		})
		if strings.ContainsAny(rest, "\x1b\x07") {
			t.Errorf("table (colour %v) lets an escape or BEL from the data through", color)
		}
		if !strings.Contains(out, `i-0bad\x1b[31m|`) || !strings.Contains(out, `\x1b]0;owned\a`) {
			t.Errorf("table (colour %v) does not show the hostile escapes as visible text", color)
		}
	}
}

func TestMarkdownEscapesHostileValues(t *testing.T) {
	out := write(t, "markdown", fixtureRun(), Options{})
	for _, bad := range []string{"<script>", "<b>", "\x1b", "\x07", "[link](", "*em*", "`code`"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q unescaped", bad)
		}
	}
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "i-0bad") {
			continue
		}
		// A failure row has 8 cells, so 9 cell borders.
		if n := len(unescapedPipe.FindAllString(line, -1)); n != 9 {
			t.Errorf("hostile row has %d cell borders, want 9: %s", n, line)
		}
	}
}

func TestMD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a|b", `a\|b`},
		{"<script>&", "&lt;script&gt;&amp;"},
		{`a\|b`, `a\\\|b`},
		{"[x](y)", `\[x\](y)`},
		{"a_b*c`d", "a\\_b\\*c\\`d"},
		{"line\nbreak", `line\\nbreak`},
		{"\x1b[1m", `\\x1b\[1m`},
	}
	for _, tt := range tests {
		if got := md(tt.in); got != tt.want {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJUnitEscapesHostileValues(t *testing.T) {
	out := write(t, "junit", fixtureRun(), Options{})
	for _, bad := range []string{"<script>", "\x1b", "\x07"} {
		if strings.Contains(out, bad) {
			t.Errorf("junit contains %q unescaped", bad)
		}
	}
}

func TestTableMaxRows(t *testing.T) {
	run := fixtureRun()
	var many []benchmarks.Result
	for i := range 15 {
		many = append(many, benchmarks.Result{ControlID: controlIMDS.ID, Severity: "high", Status: "fail",
			Resource: fmt.Sprintf("i-%02d", i), Reason: "accepts IMDSv1"})
	}
	run.Outcomes[5].Results = many
	tests := []struct {
		maxRows   int
		listed    int
		moreLabel string
	}{
		{0, 10, "… 5 more not listed"},
		{3, 3, "… 12 more not listed"},
		{15, 15, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.maxRows), func(t *testing.T) {
			out := write(t, "table", run, Options{MaxRows: tt.maxRows})
			if got := strings.Count(out, "  - i-"); got != tt.listed {
				t.Errorf("MaxRows %d: got %d rows listed, want %d", tt.maxRows, got, tt.listed)
			}
			if tt.moreLabel == "" && strings.Contains(out, "more not listed") {
				t.Errorf("MaxRows %d: got a 'more not listed' line, want none", tt.maxRows)
			}
			if tt.moreLabel != "" && !strings.Contains(out, tt.moreLabel) {
				t.Errorf("MaxRows %d: output lacks %q", tt.maxRows, tt.moreLabel)
			}
		})
	}
}

// TestJUnitPartlyNotEvaluated checks that a control with passes and a
// result not evaluated is a skipped testcase, as its requirement is
// skipped, never a passing one.
func TestJUnitPartlyNotEvaluated(t *testing.T) {
	run := directRun()
	c := &benchmarks.Control{ID: "aws_ec2_instance_imdsv2_required", Title: "IMDSv2", Severity: "high"}
	o := benchmarks.Outcome{Control: c, Results: []benchmarks.Result{
		{ControlID: c.ID, Status: "pass", Resource: "i-1", Reason: "tokens required"},
		{ControlID: c.ID, Status: "pass", Resource: "i-2", Reason: "tokens required"},
		{ControlID: c.ID, Status: "skip", Resource: "111122223333/eu-west-1", Reason: "not evaluated: region denied"},
	}}
	o.CountResults()
	run.Outcomes = []benchmarks.Outcome{o}
	var doc junitDoc
	if err := xml.Unmarshal([]byte(write(t, "junit", run, Options{})), &doc); err != nil {
		t.Fatalf("junit output does not parse: %v", err)
	}
	if doc.Tests != 1 || doc.Skipped != 1 {
		t.Fatalf("got tests=%d skipped=%d, want one skipped testcase", doc.Tests, doc.Skipped)
	}
	got := doc.Suites[0].Cases[0].Skipped
	if got == nil || !strings.Contains(got.Message, "1 of 3 results not evaluated: not evaluated: region denied") {
		t.Errorf("skipped message %+v, want the share and the reason", got)
	}
}
