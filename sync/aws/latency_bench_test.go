package aws

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/awsstub"
	"github.com/stance-cspm/stance/internal/emulator/faultproxy"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

// BenchmarkSyncWithLatency syncs 20 accounts x 4 regions from the native
// stand-in behind a proxy that adds 50 ms to every call, and compares the
// wall time with the least that the concurrency limit allows: the calls'
// total latency divided by the number of partitions read at once.
//
//	go test ./sync/aws -run '^$' -bench SyncWithLatency -benchtime 3x
func BenchmarkSyncWithLatency(b *testing.B) {
	const (
		accounts    = 20
		concurrency = 16
		latency     = 50 * time.Millisecond
	)
	regions := []string{"us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"}
	stub := awsstub.New(awsstub.Options{PageSize: 2})
	var scopes []sync.Scope
	for i := 0; i < accounts; i++ {
		account := fmt.Sprintf("%012d", 100000000000+i)
		key := fmt.Sprintf("AKIABENCH%011d", i)
		stub.SetAccount(key, account)
		for _, region := range regions {
			var analyzers []awsstub.Analyzer
			for j := 0; j < 5; j++ {
				analyzers = append(analyzers, awsstub.Analyzer{
					ARN:  fmt.Sprintf("arn:aws:access-analyzer:%s:%s:analyzer/a%d", region, account, j),
					Name: fmt.Sprintf("a%d", j), Type: "ACCOUNT", Status: "ACTIVE", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				})
			}
			stub.MustSet(awsstub.RegionData{Account: account, Region: region, Analyzers: analyzers,
				Hub: &awsstub.Hub{HubARN: fmt.Sprintf("arn:aws:securityhub:%s:%s:hub/default", region, account), SubscribedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})
		}
		scopes = append(scopes, sync.Scope{AccountID: account, Regions: regions})
	}
	backend := httptest.NewServer(stub)
	defer backend.Close()
	proxy, err := faultproxy.New(backend.URL, faultproxy.Options{})
	if err != nil {
		b.Fatal(err)
	}
	proxy.MustAddRule(faultproxy.Rule{Latency: faultproxy.Duration(latency)})
	front := httptest.NewServer(proxy)
	defer front.Close()
	// Every account signs with its own access key, which the stub maps to
	// the account.
	for i := range scopes {
		account := scopes[i].AccountID
		key := fmt.Sprintf("AKIABENCH%011d", i)
		scopes[i].Client = clientCache(func(region string) (*awstables.Clients, error) {
			return awstables.NewClients(emulator.Config(front.URL, region, func(c *awssdk.Config) {
				c.Credentials = emulator.StaticCredentials(key, "secret", "")
			}), account, region), nil
		})
	}
	var tbls []*tables.Table
	for _, name := range []string{"aws_accessanalyzer_analyzer", "aws_securityhub_hub"} {
		t, ok := tables.Lookup(name)
		if !ok {
			b.Fatalf("table %s is not registered", name)
		}
		tbls = append(tbls, t)
	}
	ctx := context.Background()
	for n := 0; n < b.N; n++ {
		st, err := store.Open(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		proxy.ResetCalls()
		start := time.Now()
		res, err := sync.Run(ctx, st, fixedScopes{Live: &Live{}, scopes: scopes}, sync.Options{Tables: tbls, Concurrency: concurrency, Logger: slog.New(slog.DiscardHandler)})
		wall := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Status != store.RunOK {
			b.Fatalf("status %s: %+v", res.Summary.Status, res.Failed())
		}
		calls := len(proxy.Calls())
		ideal := time.Duration(calls) * latency / concurrency
		b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
		b.ReportMetric(float64(ideal.Milliseconds()), "ideal-ms")
		b.ReportMetric(wall.Seconds()/ideal.Seconds(), "ratio")
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(res.Summary.PartitionsTotal), "partitions")
		st.Close()
	}
}
