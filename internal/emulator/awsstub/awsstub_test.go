package awsstub

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	shtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stance-cspm/stance/internal/emulator"
)

const (
	otherAccount = "222233334444"
	otherKey     = "AKIDOTHERACCOUNT"
)

var created = time.Date(2024, 3, 4, 5, 6, 7, 890e6, time.UTC)

func analyzers(account string, n int) []Analyzer {
	var out []Analyzer
	for i := range n {
		name := "analyzer-" + string(rune('a'+i))
		out = append(out, Analyzer{
			ARN:       "arn:aws:access-analyzer:us-east-1:" + account + ":analyzer/" + name,
			Name:      name,
			Type:      "ACCOUNT",
			Status:    "ACTIVE",
			CreatedAt: created.Add(time.Duration(i) * time.Hour),
		})
	}
	return out
}

func analyzerNames(list []aatypes.AnalyzerSummary) []string {
	var names []string
	for _, a := range list {
		names = append(names, aws.ToString(a.Name))
	}
	return names
}

func TestListAnalyzersTwoPages(t *testing.T) {
	data := RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: analyzers(emulator.DefaultAccountID, 3)}
	stub := Start(t, Options{PageSize: 2}, data)
	client := accessanalyzer.NewFromConfig(stub.AWSConfig("us-east-1"))

	var pages [][]string
	paginator := accessanalyzer.NewListAnalyzersPaginator(client, &accessanalyzer.ListAnalyzersInput{})
	for paginator.HasMorePages() {
		out, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListAnalyzers page %d: %v", len(pages)+1, err)
		}
		pages = append(pages, analyzerNames(out.Analyzers))
	}

	want := [][]string{{"analyzer-a", "analyzer-b"}, {"analyzer-c"}}
	if len(pages) != len(want) {
		t.Fatalf("got pages %v, want %v", pages, want)
	}
	for i := range want {
		if strings.Join(pages[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("page %d: got %v, want %v", i+1, pages[i], want[i])
		}
	}
}

func TestListAnalyzersMaxResults(t *testing.T) {
	data := RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: analyzers(emulator.DefaultAccountID, 3)}
	stub := Start(t, Options{}, data)
	client := accessanalyzer.NewFromConfig(stub.AWSConfig("us-east-1"))

	pages := 0
	var names []string
	paginator := accessanalyzer.NewListAnalyzersPaginator(client, &accessanalyzer.ListAnalyzersInput{MaxResults: aws.Int32(1)})
	for paginator.HasMorePages() {
		out, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListAnalyzers: %v", err)
		}
		pages++
		names = append(names, analyzerNames(out.Analyzers)...)
	}
	if pages != 3 {
		t.Errorf("got %d pages with maxResults 1, want 3", pages)
	}
	if got := strings.Join(names, ","); got != "analyzer-a,analyzer-b,analyzer-c" {
		t.Errorf("got analyzers %s, want analyzer-a,analyzer-b,analyzer-c", got)
	}
}

func TestListAnalyzersFields(t *testing.T) {
	analyzed := created.Add(time.Minute)
	full := Analyzer{
		ARN:                    "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/unused",
		Name:                   "unused",
		Type:                   "ACCOUNT_UNUSED_ACCESS",
		Status:                 "FAILED",
		CreatedAt:              created,
		LastResourceAnalyzed:   "arn:aws:s3:::logs",
		LastResourceAnalyzedAt: &analyzed,
		StatusReasonCode:       "SERVICE_LINKED_ROLE_CREATION_FAILED",
		Tags:                   map[string]string{"team": "security"},
		UnusedAccessAge:        90,
	}
	data := RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: append(analyzers(emulator.DefaultAccountID, 1), full)}
	stub := Start(t, Options{}, data)
	client := accessanalyzer.NewFromConfig(stub.AWSConfig("us-east-1"))

	out, err := client.ListAnalyzers(context.Background(), &accessanalyzer.ListAnalyzersInput{Type: aatypes.TypeAccountUnusedAccess})
	if err != nil {
		t.Fatalf("ListAnalyzers: %v", err)
	}
	if len(out.Analyzers) != 1 {
		t.Fatalf("got %d analyzers of type ACCOUNT_UNUSED_ACCESS, want 1", len(out.Analyzers))
	}
	got := out.Analyzers[0]
	if aws.ToString(got.Arn) != full.ARN {
		t.Errorf("got arn %q, want %q", aws.ToString(got.Arn), full.ARN)
	}
	if got.Status != aatypes.AnalyzerStatusFailed {
		t.Errorf("got status %q, want FAILED", got.Status)
	}
	if got.CreatedAt == nil || !got.CreatedAt.Equal(created) {
		t.Errorf("got createdAt %v, want %v", got.CreatedAt, created)
	}
	if got.LastResourceAnalyzedAt == nil || !got.LastResourceAnalyzedAt.Equal(analyzed) {
		t.Errorf("got lastResourceAnalyzedAt %v, want %v", got.LastResourceAnalyzedAt, analyzed)
	}
	if aws.ToString(got.LastResourceAnalyzed) != "arn:aws:s3:::logs" {
		t.Errorf("got lastResourceAnalyzed %q, want arn:aws:s3:::logs", aws.ToString(got.LastResourceAnalyzed))
	}
	if got.StatusReason == nil || got.StatusReason.Code != aatypes.ReasonCodeServiceLinkedRoleCreationFailed {
		t.Errorf("got statusReason %+v, want SERVICE_LINKED_ROLE_CREATION_FAILED", got.StatusReason)
	}
	if got.Tags["team"] != "security" {
		t.Errorf("got tags %v, want team=security", got.Tags)
	}
	unused, ok := got.Configuration.(*aatypes.AnalyzerConfigurationMemberUnusedAccess)
	if !ok {
		t.Fatalf("got configuration %T, want the unusedAccess member", got.Configuration)
	}
	if aws.ToInt32(unused.Value.UnusedAccessAge) != 90 {
		t.Errorf("got unusedAccessAge %d, want 90", aws.ToInt32(unused.Value.UnusedAccessAge))
	}
}

func TestListAnalyzersAccountsAndRegions(t *testing.T) {
	stub := Start(t, Options{},
		RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: analyzers(emulator.DefaultAccountID, 1)},
		RegionData{Account: otherAccount, Region: "us-east-1", Analyzers: analyzers(otherAccount, 2)},
	)
	stub.SetAccount(otherKey, otherAccount)
	otherCreds := func(c *aws.Config) { c.Credentials = emulator.StaticCredentials(otherKey, "secret", "") }

	tests := []struct {
		name   string
		region string
		optFns []func(*aws.Config)
		want   int
	}{
		{name: "default account", region: "us-east-1", want: 1},
		{name: "other account", region: "us-east-1", optFns: []func(*aws.Config){otherCreds}, want: 2},
		{name: "region without data", region: "eu-west-1", want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := accessanalyzer.NewFromConfig(stub.AWSConfig(tt.region, tt.optFns...))
			out, err := client.ListAnalyzers(context.Background(), &accessanalyzer.ListAnalyzersInput{})
			if err != nil {
				t.Fatalf("ListAnalyzers: %v", err)
			}
			if len(out.Analyzers) != tt.want {
				t.Errorf("got %d analyzers, want %d", len(out.Analyzers), tt.want)
			}
		})
	}
}

func TestListAnalyzersInvalidToken(t *testing.T) {
	stub := Start(t, Options{})
	client := accessanalyzer.NewFromConfig(stub.AWSConfig("us-east-1"))

	_, err := client.ListAnalyzers(context.Background(), &accessanalyzer.ListAnalyzersInput{NextToken: aws.String("forged")})
	var validation *aatypes.ValidationException
	if !errors.As(err, &validation) {
		t.Fatalf("got error %v, want a ValidationException", err)
	}
	if !strings.Contains(validation.ErrorMessage(), `invalid pagination token "forged"`) {
		t.Errorf("got message %q, want it to name the token", validation.ErrorMessage())
	}
}

var hub = Hub{
	HubARN:                  "arn:aws:securityhub:us-east-1:123456789012:hub/default",
	SubscribedAt:            created,
	AutoEnableControls:      true,
	ControlFindingGenerator: "SECURITY_CONTROL",
}

func TestDescribeHub(t *testing.T) {
	stub := Start(t, Options{}, RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Hub: &hub})
	client := securityhub.NewFromConfig(stub.AWSConfig("us-east-1"))
	ctx := context.Background()

	out, err := client.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	if err != nil {
		t.Fatalf("DescribeHub: %v", err)
	}
	if aws.ToString(out.HubArn) != hub.HubARN {
		t.Errorf("got HubArn %q, want %q", aws.ToString(out.HubArn), hub.HubARN)
	}
	if aws.ToString(out.SubscribedAt) != "2024-03-04T05:06:07.890Z" {
		t.Errorf("got SubscribedAt %q, want 2024-03-04T05:06:07.890Z", aws.ToString(out.SubscribedAt))
	}
	if !aws.ToBool(out.AutoEnableControls) {
		t.Errorf("got AutoEnableControls false, want true")
	}
	if out.ControlFindingGenerator != shtypes.ControlFindingGeneratorSecurityControl {
		t.Errorf("got ControlFindingGenerator %q, want SECURITY_CONTROL", out.ControlFindingGenerator)
	}

	_, err = client.DescribeHub(ctx, &securityhub.DescribeHubInput{HubArn: aws.String("arn:aws:securityhub:us-east-1:123456789012:hub/other")})
	var notFound *shtypes.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		t.Errorf("DescribeHub with another HubArn: got %v, want ResourceNotFoundException", err)
	}
}

func TestSecurityHubNotSubscribed(t *testing.T) {
	stub := Start(t, Options{})
	client := securityhub.NewFromConfig(stub.AWSConfig("us-east-1"))
	ctx := context.Background()

	calls := map[string]func() error{
		"DescribeHub": func() error {
			_, err := client.DescribeHub(ctx, &securityhub.DescribeHubInput{})
			return err
		},
		"GetEnabledStandards": func() error {
			_, err := client.GetEnabledStandards(ctx, &securityhub.GetEnabledStandardsInput{})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		var denied *shtypes.InvalidAccessException
		if !errors.As(err, &denied) {
			t.Errorf("%s: got %v, want InvalidAccessException", name, err)
			continue
		}
		if !strings.Contains(denied.ErrorMessage(), "not subscribed") {
			t.Errorf("%s: got message %q, want it to say the account is not subscribed", name, denied.ErrorMessage())
		}
	}
}

func standards(n int) []StandardsSubscription {
	names := []string{"aws-foundational-security-best-practices/v/1.0.0", "cis-aws-foundations-benchmark/v/1.4.0", "pci-dss/v/3.2.1"}
	var out []StandardsSubscription
	for _, name := range names[:n] {
		out = append(out, StandardsSubscription{
			StandardsSubscriptionARN: "arn:aws:securityhub:us-east-1:123456789012:subscription/" + name,
			StandardsARN:             "arn:aws:securityhub:us-east-1::standards/" + name,
			StandardsStatus:          "READY",
		})
	}
	return out
}

func TestGetEnabledStandardsTwoPages(t *testing.T) {
	subs := standards(3)
	subs[2].StandardsStatus = "INCOMPLETE"
	subs[2].StandardsStatusReasonCode = "NO_AVAILABLE_CONFIGURATION_RECORDER"
	subs[2].StandardsInput = map[string]string{"key": "value"}
	stub := Start(t, Options{PageSize: 2}, RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Hub: &hub, Standards: subs})
	client := securityhub.NewFromConfig(stub.AWSConfig("us-east-1"))

	var got []shtypes.StandardsSubscription
	pages := 0
	paginator := securityhub.NewGetEnabledStandardsPaginator(client, &securityhub.GetEnabledStandardsInput{})
	for paginator.HasMorePages() {
		out, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("GetEnabledStandards page %d: %v", pages+1, err)
		}
		pages++
		got = append(got, out.StandardsSubscriptions...)
	}
	if pages != 2 {
		t.Errorf("got %d pages, want 2", pages)
	}
	if len(got) != 3 {
		t.Fatalf("got %d subscriptions, want 3", len(got))
	}
	for i, sub := range got {
		if aws.ToString(sub.StandardsSubscriptionArn) != subs[i].StandardsSubscriptionARN {
			t.Errorf("subscription %d: got %q, want %q", i, aws.ToString(sub.StandardsSubscriptionArn), subs[i].StandardsSubscriptionARN)
		}
	}
	last := got[2]
	if last.StandardsStatus != shtypes.StandardsStatusIncomplete {
		t.Errorf("got status %q, want INCOMPLETE", last.StandardsStatus)
	}
	if last.StandardsStatusReason == nil || last.StandardsStatusReason.StatusReasonCode != shtypes.StatusReasonCodeNoAvailableConfigurationRecorder {
		t.Errorf("got status reason %+v, want NO_AVAILABLE_CONFIGURATION_RECORDER", last.StandardsStatusReason)
	}
	if last.StandardsInput["key"] != "value" {
		t.Errorf("got StandardsInput %v, want key=value", last.StandardsInput)
	}
}

func TestGetEnabledStandardsFilter(t *testing.T) {
	subs := standards(3)
	stub := Start(t, Options{}, RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Hub: &hub, Standards: subs})
	client := securityhub.NewFromConfig(stub.AWSConfig("us-east-1"))

	out, err := client.GetEnabledStandards(context.Background(), &securityhub.GetEnabledStandardsInput{
		StandardsSubscriptionArns: []string{subs[1].StandardsSubscriptionARN},
	})
	if err != nil {
		t.Fatalf("GetEnabledStandards: %v", err)
	}
	if len(out.StandardsSubscriptions) != 1 {
		t.Fatalf("got %d subscriptions, want 1", len(out.StandardsSubscriptions))
	}
	if got := aws.ToString(out.StandardsSubscriptions[0].StandardsArn); got != subs[1].StandardsARN {
		t.Errorf("got StandardsArn %q, want %q", got, subs[1].StandardsARN)
	}
	if out.NextToken != nil {
		t.Errorf("got NextToken %q, want none", aws.ToString(out.NextToken))
	}
}

func TestUnknownOperation(t *testing.T) {
	stub := Start(t, Options{})
	client := accessanalyzer.NewFromConfig(stub.AWSConfig("us-east-1"))

	_, err := client.ListFindings(context.Background(), &accessanalyzer.ListFindingsInput{AnalyzerArn: aws.String("arn:aws:access-analyzer:us-east-1:123456789012:analyzer/a")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" {
		t.Fatalf("got error %v, want UnknownOperationException", err)
	}
	var respErr *smithyhttp.ResponseError
	if !errors.As(err, &respErr) || respErr.HTTPStatusCode() != http.StatusNotFound {
		t.Errorf("got error %v, want HTTP 404", err)
	}
}

func TestUnsignedRequest(t *testing.T) {
	stub := Start(t, Options{})
	resp, err := http.Get(stub.URL() + "/analyzer")
	if err != nil {
		t.Fatalf("GET /analyzer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("got HTTP %d, want 403", resp.StatusCode)
	}
	if got := resp.Header.Get("X-Amzn-ErrorType"); got != "MissingAuthenticationTokenException" {
		t.Errorf("got X-Amzn-ErrorType %q, want MissingAuthenticationTokenException", got)
	}
}

func TestLoadFile(t *testing.T) {
	const valid = `{
  "accessKeys": {"AKIDB": "222233334444"},
  "regions": [
    {"account": "222233334444", "region": "eu-west-1",
     "analyzers": [{"arn": "arn:aws:access-analyzer:eu-west-1:222233334444:analyzer/main", "name": "main",
                    "type": "ACCOUNT", "status": "ACTIVE", "createdAt": "2024-01-02T03:04:05Z"}],
     "hub": {"HubArn": "arn:aws:securityhub:eu-west-1:222233334444:hub/default", "SubscribedAt": "2024-01-02T03:04:05Z"}}
  ]
}`
	tests := []struct {
		name, content, wantErr string
	}{
		{name: "valid", content: valid},
		{name: "missing region", content: `{"regions":[{"account":"1"}]}`, wantErr: "missing account or region"},
		{name: "analyzer without name", content: `{"regions":[{"account":"1","region":"r","analyzers":[{"arn":"a"}]}]}`, wantErr: "analyzer 1: missing arn or name"},
		{name: "hub without arn", content: `{"regions":[{"account":"1","region":"r","hub":{}}]}`, wantErr: "missing HubArn"},
		{name: "unknown field", content: `{"regions":[],"analyzers":[]}`, wantErr: `unknown field "analyzers"`},
		{name: "bad time", content: `{"regions":[{"account":"1","region":"r","hub":{"HubArn":"h","SubscribedAt":"yesterday"}}]}`, wantErr: "parse stub data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "stub.json")
			if err := os.WriteFile(name, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := LoadFile(name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadFile: %v", err)
			}

			stub := Start(t, Options{})
			if err := stub.Load(f); err != nil {
				t.Fatalf("Load: %v", err)
			}
			cfg := stub.AWSConfig("eu-west-1", func(c *aws.Config) { c.Credentials = emulator.StaticCredentials("AKIDB", "secret", "") })
			out, err := accessanalyzer.NewFromConfig(cfg).ListAnalyzers(context.Background(), &accessanalyzer.ListAnalyzersInput{})
			if err != nil {
				t.Fatalf("ListAnalyzers: %v", err)
			}
			if got := analyzerNames(out.Analyzers); len(got) != 1 || got[0] != "main" {
				t.Errorf("got analyzers %v, want [main]", got)
			}
		})
	}
}

func TestPage(t *testing.T) {
	first, _, next, err := page(5, "", 0, 2)
	if err != nil || first != 0 || next == "" {
		t.Fatalf("first page: got start %d, next %q, error %v; want 0, a token, nil", first, next, err)
	}
	start, end, next2, err := page(5, next, 0, 2)
	if err != nil || start != 2 || end != 4 || next2 == "" {
		t.Errorf("second page: got [%d,%d) next %q error %v, want [2,4) with a token", start, end, next2, err)
	}
	start, end, last, err := page(5, next2, 10, 2)
	if err != nil || start != 4 || end != 5 || last != "" {
		t.Errorf("last page: got [%d,%d) next %q error %v, want [4,5) and no token", start, end, last, err)
	}
	if _, end, _, _ := page(5, "", 1, 2); end != 1 {
		t.Errorf("maxResults 1: got end %d, want 1", end)
	}
	if _, _, _, err := page(1, next2, 0, 2); err == nil {
		t.Errorf("token past the end of a shorter list: got no error, want one")
	}
	if _, _, _, err := page(0, "", 0, 2); err != nil {
		t.Errorf("empty list: got error %v, want none", err)
	}
}
