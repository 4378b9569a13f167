package aws

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/awsstub"
	"github.com/stance-cspm/stance/internal/emulator/faultproxy"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

var faultRegions = []string{"us-east-1", "eu-west-1"}

// fixedScopes is the live provider with its accounts and regions given.
type fixedScopes struct {
	*Live
	scopes []sync.Scope
}

func (f fixedScopes) Scopes(context.Context) ([]sync.Scope, error) { return f.scopes, nil }

// faultWorld resets moto, creates one security group in each test region
// and returns a fault proxy in front of moto that the SDK's endpoint
// settings point at.
func faultWorld(t *testing.T) (*faultproxy.Proxy, map[string]string) {
	t.Helper()
	ctx := context.Background()
	srv := moto.Start(t)
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	groups := map[string]string{}
	for _, region := range faultRegions {
		out, err := ec2.NewFromConfig(srv.AWSConfig(ctx, region)).CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: awssdk.String("web-" + region), Description: awssdk.String("web"),
		})
		if err != nil {
			t.Fatal(err)
		}
		groups[region] = awssdk.ToString(out.GroupId)
	}
	proxy, err := faultproxy.New(srv.URL(), faultproxy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	useEndpoint(t, front.URL)
	return proxy, groups
}

func syncGroups(t *testing.T, ctx context.Context, st *store.Store, opts sync.Options) *sync.Result {
	t.Helper()
	live, err := NewLive(ctx, Options{Regions: faultRegions, MaxAttempts: 5})
	if err != nil {
		t.Fatal(err)
	}
	if opts.Tables == nil {
		opts.Tables = lookupTables(t, "aws_vpc_security_group")
	}
	res, err := sync.Run(ctx, st, live, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestDeniedRegionKeepsRows denies EC2 in one region after a first sync:
// that region's group stays in the present view, although it was deleted,
// and the partition is recorded as a blind spot, while a deletion in the
// readable region is recorded.
func TestDeniedRegionKeepsRows(t *testing.T) {
	ctx := context.Background()
	proxy, groups := faultWorld(t)
	st := newStore(t)
	if res := syncGroups(t, ctx, st, sync.Options{}); res.Summary.Status != store.RunOK {
		t.Fatalf("first sync: %s %+v", res.Summary.Status, res.Failed())
	}

	srv := moto.Start(t)
	for _, region := range faultRegions {
		_, err := ec2.NewFromConfig(srv.AWSConfig(ctx, region)).DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: awssdk.String(groups[region])})
		if err != nil {
			t.Fatal(err)
		}
	}
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Region: "eu-west-1", Service: "ec2"}, Fault: faultproxy.FaultAccessDenied})

	res := syncGroups(t, ctx, st, sync.Options{})
	if res.Summary.Status != store.RunPartial {
		t.Errorf("status %q, want %q", res.Summary.Status, store.RunPartial)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group WHERE group_id = '"+groups["eu-west-1"]+"'"); got != 1 {
		t.Errorf("group in the denied region: got %d rows, want 1 (last known)", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group WHERE group_id = '"+groups["us-east-1"]+"'"); got != 0 {
		t.Errorf("group deleted in the readable region: got %d rows, want 0", got)
	}
	q := "SELECT count(*) FROM stance_sync_partition WHERE run_id = 2 AND region = 'eu-west-1' AND status = 'blind_spot' AND error_code LIKE 'UnauthorizedOperation%'"
	if got := queryInt(t, st, q); got != 1 {
		t.Errorf("blind spot recorded for eu-west-1: got %d, want 1", got)
	}
}

// TestThrottlingAndServerErrorsSurvived throttles and fails calls a few
// times; the SDK's retryer gets through and the sync completes.
func TestThrottlingAndServerErrorsSurvived(t *testing.T) {
	ctx := context.Background()
	proxy, _ := faultWorld(t)
	st := newStore(t)
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Service: "ec2", Operation: "DescribeSecurityGroups", Region: "us-east-1"}, Fault: faultproxy.FaultThrottle, Times: 3})
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Service: "ec2", Operation: "DescribeSecurityGroups", Region: "eu-west-1"}, Fault: faultproxy.FaultServerError, Times: 2})

	res := syncGroups(t, ctx, st, sync.Options{})
	if res.Summary.Status != store.RunOK {
		t.Fatalf("status %q, want ok: %+v", res.Summary.Status, res.Failed())
	}
	if got := proxy.Count(faultproxy.Match{Service: "ec2", Operation: "DescribeSecurityGroups", Region: "us-east-1"}); got < 4 {
		t.Errorf("calls in us-east-1: got %d, want at least 4 (3 throttled, 1 answered)", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group WHERE group_name LIKE 'web-%'"); got != 2 {
		t.Errorf("groups: got %d, want 2", got)
	}
}

// TestThrottlingExhaustsRetries keeps throttling one region: that partition
// fails with the throttling code after the retries, the other completes.
func TestThrottlingExhaustsRetries(t *testing.T) {
	ctx := context.Background()
	proxy, _ := faultWorld(t)
	st := newStore(t)
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Service: "ec2", Region: "eu-west-1"}, Fault: faultproxy.FaultThrottle})

	res := syncGroups(t, ctx, st, sync.Options{})
	if res.Summary.Status != store.RunPartial {
		t.Fatalf("status %q, want partial", res.Summary.Status)
	}
	failed := res.Failed()
	if len(failed) != 1 || failed[0].Region != "eu-west-1" || failed[0].Status != store.StatusFailed {
		t.Fatalf("failed partitions: got %+v, want eu-west-1 failed", failed)
	}
	// EC2 names its throttling error RequestLimitExceeded.
	if failed[0].ErrorCode != "RequestLimitExceeded" || !strings.Contains(failed[0].Error, "maximum number of attempts") {
		t.Errorf("error code %q, message %q: want them to name the throttling", failed[0].ErrorCode, failed[0].Error)
	}
}

// TestPagedThrottledListing syncs Access Analyzer from the native stand-in
// in pages of two, throttled on the first calls.
func TestPagedThrottledListing(t *testing.T) {
	ctx := context.Background()
	var analyzers []awsstub.Analyzer
	for _, name := range []string{"a1", "a2", "a3", "a4", "a5"} {
		analyzers = append(analyzers, awsstub.Analyzer{
			ARN:  "arn:aws:access-analyzer:us-east-1:" + emulator.DefaultAccountID + ":analyzer/" + name,
			Name: name, Type: "ACCOUNT", Status: "ACTIVE", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		})
	}
	stub := awsstub.Start(t, awsstub.Options{PageSize: 2}, awsstub.RegionData{Account: emulator.DefaultAccountID, Region: "us-east-1", Analyzers: analyzers})
	proxy, err := faultproxy.New(stub.URL(), faultproxy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Service: "access-analyzer"}, Fault: faultproxy.FaultThrottle, Times: 2})
	front := httptest.NewServer(proxy)
	defer front.Close()
	useEndpoint(t, front.URL)

	st := newStore(t)
	// The stub serves no STS, so the live provider's account discovery is
	// skipped by giving it the scope directly.
	cfg := emulator.Config(front.URL, "us-east-1")
	scopes := []sync.Scope{{AccountID: emulator.DefaultAccountID, Regions: []string{"us-east-1"}, Client: clientCache(func(region string) (*awstables.Clients, error) {
		return awstables.NewClients(cfg, emulator.DefaultAccountID, region), nil
	})}}
	res, err := sync.Run(ctx, st, fixedScopes{Live: &Live{}, scopes: scopes}, sync.Options{Tables: lookupTables(t, "aws_accessanalyzer_analyzer")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Status != store.RunOK {
		t.Fatalf("status %q: %+v", res.Summary.Status, res.Failed())
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_accessanalyzer_analyzer"); got != 5 {
		t.Errorf("analyzers: got %d, want 5 over three pages", got)
	}
	if got := proxy.Count(faultproxy.Match{Service: "access-analyzer"}); got != 5 {
		t.Errorf("calls: got %d, want 5 (2 throttled, 3 pages)", got)
	}
}

// TestMalformedResponseFailsOnePartition returns truncated XML for one
// region's call: that partition fails with a clear error and keeps its
// rows, the other region completes.
func TestMalformedResponseFailsOnePartition(t *testing.T) {
	ctx := context.Background()
	proxy, groups := faultWorld(t)
	st := newStore(t)
	if res := syncGroups(t, ctx, st, sync.Options{}); res.Summary.Status != store.RunOK {
		t.Fatalf("first sync: %s", res.Summary.Status)
	}

	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") == "DescribeSecurityGroups" && strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/ec2/") {
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><securityGroupInfo><item><groupId>sg-1`)
			return
		}
		proxy.ServeHTTP(w, r)
	})
	front := httptest.NewServer(broken)
	defer front.Close()
	useEndpoint(t, front.URL)

	res := syncGroups(t, ctx, st, sync.Options{})
	failed := res.Failed()
	if len(failed) != 1 || failed[0].Region != "eu-west-1" || failed[0].Status != store.StatusFailed {
		t.Fatalf("failed partitions: got %+v, want only eu-west-1", failed)
	}
	if !strings.Contains(failed[0].Error, "DescribeSecurityGroups") {
		t.Errorf("error %q does not name the call", failed[0].Error)
	}
	if failed[0].ErrorCode != "MalformedResponse" {
		t.Errorf("error code %q, want MalformedResponse", failed[0].ErrorCode)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group WHERE group_id = '"+groups["eu-west-1"]+"'"); got != 1 {
		t.Errorf("group of the failed region: got %d rows, want 1 kept", got)
	}
}

// TestInterruptedSyncIsConsistent cancels a slow sync after its first
// partition: the completed partition is saved, the run is recorded as
// cancelled, and the next sync completes the rest.
func TestInterruptedSyncIsConsistent(t *testing.T) {
	proxy, _ := faultWorld(t)
	st := newStore(t)
	proxy.MustAddRule(faultproxy.Rule{Match: faultproxy.Match{Service: "ec2"}, Latency: faultproxy.Duration(150 * time.Millisecond)})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tbls := lookupTables(t, "aws_vpc", "aws_vpc_security_group", "aws_vpc_subnet")
	res := syncGroups(t, ctx, st, sync.Options{Tables: tbls, Concurrency: 1, Progress: func(done, total int, rec store.PartitionRecord) {
		if done == 1 {
			cancel()
		}
	}})
	if res.Summary.Status != store.RunCancelled {
		t.Fatalf("status %q, want cancelled", res.Summary.Status)
	}
	if res.Summary.PartitionsOK != 1 {
		t.Errorf("partitions saved: got %d, want 1", res.Summary.PartitionsOK)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM stance_sync_run WHERE status = 'cancelled' AND finished_at IS NOT NULL"); got != 1 {
		t.Errorf("cancelled run records: got %d, want 1", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM stance_sync_partition WHERE status = 'cancelled'"); got != 5 {
		t.Errorf("cancelled partitions: got %d, want 5", got)
	}

	res = syncGroups(t, context.Background(), st, sync.Options{Tables: tbls})
	if res.Summary.Status != store.RunOK {
		t.Fatalf("sync after the interruption: %s %+v", res.Summary.Status, res.Failed())
	}
	if got := queryInt(t, st, "SELECT count(*) FROM aws_vpc_security_group WHERE group_name LIKE 'web-%'"); got != 2 {
		t.Errorf("groups after the next sync: got %d, want 2", got)
	}
}
