package awsstub

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/faultproxy"
)

// TestThrottledSecondPage runs the stub behind the fault proxy and throttles
// only the calls that carry a nextToken, so the second page needs retries.
func TestThrottledSecondPage(t *testing.T) {
	stub := Start(t, Options{PageSize: 2}, RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: analyzers(emulator.DefaultAccountID, 3)})
	proxy := faultproxy.Start(t, stub.URL(), faultproxy.Options{})
	throttle := proxy.MustAddRule(faultproxy.Rule{
		Match: faultproxy.Match{Service: "access-analyzer", Operation: "GET /analyzer", Query: "nextToken"},
		Fault: faultproxy.FaultThrottle,
		Times: 2,
	})
	client := accessanalyzer.NewFromConfig(proxy.AWSConfig("us-east-1"))

	var names []string
	paginator := accessanalyzer.NewListAnalyzersPaginator(client, &accessanalyzer.ListAnalyzersInput{})
	for paginator.HasMorePages() {
		out, err := paginator.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListAnalyzers: %v", err)
		}
		names = append(names, analyzerNames(out.Analyzers)...)
	}
	if len(names) != 3 {
		t.Errorf("got analyzers %v, want 3", names)
	}
	if got := throttle.Injected(); got != 2 {
		t.Errorf("got %d throttles on the second page, want 2", got)
	}
	if got := proxy.Count(faultproxy.Match{Service: "access-analyzer"}); got != 4 {
		t.Errorf("got %d calls through the proxy, want 4: one for page 1, three for page 2", got)
	}
}
