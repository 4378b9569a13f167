package faultproxy

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// cborBackend responds to every CloudWatch RPC v2 CBOR call with an empty
// output map and counts the calls it received.
func cborBackend(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
		w.Header().Set("Content-Type", "application/cbor")
		w.Write(smithycbor.Encode(smithycbor.Map{}))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestCBORCloudWatch(t *testing.T) {
	backend, backendCalls := cborBackend(t)
	proxy := Start(t, backend.URL, Options{})
	ctx := context.Background()
	client := cloudwatch.NewFromConfig(proxy.AWSConfig("us-east-1"))
	match := Match{Service: "monitoring", Operation: "DescribeAlarms"}

	throttle := proxy.MustAddRule(Rule{Match: match, Fault: FaultThrottle, Times: 2})
	if _, err := client.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{}); err != nil {
		t.Fatalf("DescribeAlarms after 2 throttles: %v", err)
	}
	if got := throttle.Injected(); got != 2 {
		t.Errorf("got %d throttles injected, want 2", got)
	}
	if got := backendCalls.Load(); got != 1 {
		t.Errorf("got %d calls at the backend, want 1", got)
	}
	calls := proxy.Calls()
	if len(calls) != 3 {
		t.Fatalf("got %d recorded calls, want 3", len(calls))
	}
	if calls[0].Protocol != ProtocolCBOR {
		t.Errorf("got protocol %q, want %q", calls[0].Protocol, ProtocolCBOR)
	}
	proxy.ClearRules()

	proxy.MustAddRule(Rule{Match: match, Fault: FaultError, Status: 400, Code: "InvalidParameterValue", Message: "bad"})
	_, err := client.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
	if got := errorCode(err); got != "InvalidParameterValue" {
		t.Errorf("got code %q (%v), want InvalidParameterValue", got, err)
	}
}

func TestUnsignedRequestPassesThrough(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "backend "+r.URL.Path)
	}))
	t.Cleanup(backend.Close)
	proxy := Start(t, backend.URL, Options{})
	proxy.MustAddRule(Rule{Fault: FaultAccessDenied}) // matches every signed call

	resp, err := http.Get(proxy.URL() + "/moto-api/")
	if err != nil {
		t.Fatalf("GET through proxy: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("got HTTP %d, want 200", resp.StatusCode)
	}
	if string(body) != "backend /moto-api/" {
		t.Errorf("got body %q, want the backend's", body)
	}
	calls := proxy.Calls()
	if len(calls) != 1 || calls[0].Service != "" || calls[0].Status != http.StatusOK {
		t.Errorf("got calls %+v, want one unsigned call with status 200", calls)
	}
}

func TestBackendDownIsBadGateway(t *testing.T) {
	backend := httptest.NewServer(http.NotFoundHandler())
	backend.Close() // nothing listens on its port now
	proxy := Start(t, backend.URL, Options{})

	resp, err := http.Get(proxy.URL() + "/")
	if err != nil {
		t.Fatalf("GET through proxy: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("got HTTP %d, want 502", resp.StatusCode)
	}
}

func TestRuleOrder(t *testing.T) {
	p, err := New("http://127.0.0.1:1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	call := Call{Account: "111122223333", Region: "us-east-1", Service: "iam", Operation: "ListRoles"}
	first := p.MustAddRule(Rule{Match: Match{Service: "iam"}, Fault: FaultThrottle, Times: 1, Latency: Duration(5)})
	second := p.MustAddRule(Rule{Match: Match{Operation: "List*"}, Fault: FaultAccessDenied, Latency: Duration(7)})
	other := p.MustAddRule(Rule{Match: Match{Region: "eu-west-1"}, Fault: FaultServerError})

	wantFaults := []Fault{FaultThrottle, FaultAccessDenied, FaultAccessDenied}
	for i, want := range wantFaults {
		latency, rule := p.applyRules(call)
		if rule == nil {
			t.Fatalf("call %d: got no fault, want %q", i+1, want)
		}
		if rule.Fault != want {
			t.Errorf("call %d: got fault %q, want %q", i+1, rule.Fault, want)
		}
		if latency != 12 {
			t.Errorf("call %d: got latency %d, want 12, the sum of both matching rules", i+1, latency)
		}
	}
	if got := first.Injected(); got != 1 {
		t.Errorf("first rule: got %d injections, want 1", got)
	}
	if got := second.Injected(); got != 2 {
		t.Errorf("second rule: got %d injections, want 2 because the first rule took call 1", got)
	}
	if got := second.Hits(); got != 3 {
		t.Errorf("second rule: got %d hits, want 3", got)
	}
	if got := other.Hits(); got != 0 {
		t.Errorf("other-region rule: got %d hits, want 0", got)
	}
}

func TestMatchOperationPatterns(t *testing.T) {
	tests := []struct {
		pattern, operation string
		want               bool
	}{
		{"", "ListRoles", true},
		{"*", "GET /bucket/key", true},
		{"List*", "ListRoles", true},
		{"List*", "GetRole", false},
		{"GET /*", "GET /bucket", true},
		{"GET /*", "GET /bucket/key", false},
		{"GET /*/*", "GET /bucket/key", true},
		{"GET /analyzer", "GET /analyzer", true},
		{"GET /analyzer", "POST /analyzer", false},
	}
	for _, tt := range tests {
		got := Match{Operation: tt.pattern}.matches(Call{Operation: tt.operation})
		if got != tt.want {
			t.Errorf("pattern %q on %q: got %v, want %v", tt.pattern, tt.operation, got, tt.want)
		}
	}
}

func TestLoadRulesFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string
	}{
		{name: "valid", content: `{"accounts":{"AKID":"222233334444"},"rules":[{"service":"iam","operation":"ListRoles","fault":"throttle","times":2,"latency":"50ms"}]}`},
		{name: "unknown fault", content: `{"rules":[{"fault":"explode"}]}`, wantErr: `unknown fault "explode"`},
		{name: "error without code", content: `{"rules":[{"fault":"error","status":400}]}`, wantErr: "needs status and code"},
		{name: "status out of range", content: `{"rules":[{"fault":"throttle","status":200}]}`, wantErr: "invalid status 200"},
		{name: "numeric latency", content: `{"rules":[{"latency":50}]}`, wantErr: "duration string"},
		{name: "bad latency", content: `{"rules":[{"latency":"soon"}]}`, wantErr: `invalid latency "soon"`},
		{name: "negative times", content: `{"rules":[{"fault":"throttle","times":-1}]}`, wantErr: "invalid times -1"},
		{name: "bad pattern", content: `{"rules":[{"operation":"List["}]}`, wantErr: "invalid operation pattern"},
		{name: "unknown field", content: `{"rules":[{"servce":"iam"}]}`, wantErr: `unknown field "servce"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "rules.json")
			if err := os.WriteFile(name, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := LoadRulesFile(name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if len(f.Rules) != 1 || f.Rules[0].Service != "iam" || f.Rules[0].Times != 2 || f.Rules[0].Latency != Duration(50e6) {
				t.Errorf("got rules %+v, want the iam throttle rule with 50ms latency", f.Rules)
			}
			if f.Accounts["AKID"] != "222233334444" {
				t.Errorf("got accounts %v, want AKID mapped to 222233334444", f.Accounts)
			}
		})
	}
}

func TestDurationJSONRoundTrip(t *testing.T) {
	in := Rule{Latency: Duration(1500e6)}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"latency":"1.5s"`) {
		t.Errorf("got JSON %s, want latency \"1.5s\"", data)
	}
	var out Rule
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.Latency != in.Latency {
		t.Errorf("got latency %v, want %v", out.Latency, in.Latency)
	}
}

func TestParseAssumeRole(t *testing.T) {
	const response = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey></Credentials>
    <AssumedRoleUser><AssumedRoleId>AROA:x</AssumedRoleId><Arn>arn:aws:sts::222233334444:assumed-role/audit/x</Arn></AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>`
	key, arn := parseAssumeRole([]byte(response))
	if key != "ASIAEXAMPLE" {
		t.Errorf("got access key %q, want ASIAEXAMPLE", key)
	}
	if got := accountOfARN(arn); got != "222233334444" {
		t.Errorf("got account %q from %q, want 222233334444", got, arn)
	}
	for _, bad := range []string{"", "arn:aws:iam", "not-an-arn:a:b:c:d:e"} {
		if got := accountOfARN(bad); got != "" {
			t.Errorf("accountOfARN(%q): got %q, want empty", bad, got)
		}
	}
}
