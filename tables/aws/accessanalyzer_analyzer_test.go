package aws

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/awsfile"
	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/awsstub"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// realDemoDir is CloudMapper's demo account data, read in place.
var realDemoDir = filepath.Join("..", "..", "..", "shared", "realdata", "aws-cloudmapper-demo")

// demoDataAccount is the account of sts-get-caller-identity.json in the demo
// data.
const demoDataAccount = "123456789012"

// testdataAccount is the account folder name of the fixtures under
// testdata.
const testdataAccount = "111122223333"

// cliDataClients returns clients that read their responses from the CLI
// outputs of one account in dir.
func cliDataClients(t *testing.T, dir, accountID, region string) *Clients {
	t.Helper()
	src, err := awsfile.Open(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	cfg, err := src.Config(accountID, region)
	if err != nil {
		t.Fatalf("offline config for %s %s: %v", accountID, region, err)
	}
	return NewClients(cfg, accountID, region)
}

// demoDataClients returns clients that read their responses from the demo
// data, or skips the test when the data is not there.
func demoDataClients(t *testing.T, region string) *Clients {
	t.Helper()
	if _, err := os.Stat(realDemoDir); err != nil {
		t.Skipf("skip: CloudMapper demo data not found at %s (%v)", realDemoDir, err)
	}
	return cliDataClients(t, realDemoDir, demoDataAccount, region)
}

// testdataClients returns clients that read their responses from testdata/<table>.
func testdataClients(t *testing.T, table, region string) *Clients {
	t.Helper()
	return cliDataClients(t, filepath.Join("testdata", table), testdataAccount, region)
}

// fetchRecordsOrError runs a table's fetch function and returns its records and
// error, for tests that expect the fetch to fail.
func fetchRecordsOrError(t *testing.T, name string, c *Clients) ([]tables.Record, error) {
	t.Helper()
	tbl, ok := tables.Lookup(name)
	if !ok {
		t.Fatalf("table %s is not registered", name)
	}
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
	var recs []tables.Record
	err := tbl.Fetch(context.Background(), target, func(r tables.Record) error {
		recs = append(recs, r)
		return nil
	})
	return recs, err
}

// storedValues converts a record into the values that the store receives,
// by column name, so tests compare plain strings, numbers, times and lists
// instead of SDK pointers. JSON columns are strings, and columns missing
// from the record are nil.
func storedValues(t *testing.T, name string, rec tables.Record) map[string]any {
	t.Helper()
	tbl, ok := tables.Lookup(name)
	if !ok {
		t.Fatalf("table %s is not registered", name)
	}
	out := map[string]any{}
	for _, col := range tbl.Schema().Columns {
		v, err := tables.Convert(col.Type, rec[col.Name])
		if err != nil {
			t.Fatalf("table %s column %s: %v", name, col.Name, err)
		}
		// JSON documents become text, so tests can unmarshal or search
		// them whatever Go type the store takes them as.
		if doc, ok := v.(json.RawMessage); ok {
			v = string(doc)
		}
		out[col.Name] = v
	}
	return out
}

// storedRowsBy converts records with storedValues and indexes them by the
// value of column key.
func storedRowsBy(t *testing.T, name, key string, recs []tables.Record) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, rec := range recs {
		row := storedValues(t, name, rec)
		k, _ := row[key].(string)
		if _, dup := out[k]; dup {
			t.Errorf("table %s: two records with %s %q", name, key, k)
		}
		out[k] = row
	}
	return out
}

// expectColumns compares selected columns of a row with wanted values.
// Wanted times are compared as instants to the microsecond, wanted []string as text lists and
// wanted json.RawMessage as JSON documents.
func expectColumns(t *testing.T, label string, row map[string]any, want map[string]any) {
	t.Helper()
	for col, w := range want {
		got, ok := row[col]
		if !ok {
			t.Errorf("%s: no column %s", label, col)
			continue
		}
		switch w := w.(type) {
		case time.Time:
			// TIMESTAMPTZ keeps microseconds, so smaller differences, such
			// as float rounding of epoch seconds, do not reach the store.
			g, ok := got.(time.Time)
			if !ok || g.Sub(w).Abs() >= time.Microsecond {
				t.Errorf("%s: got %s %v, want %v", label, col, got, w)
			}
		case []string:
			g := make([]string, 0)
			if list, ok := got.([]any); ok {
				for _, item := range list {
					g = append(g, item.(string))
				}
			} else if got != nil {
				t.Errorf("%s: got %s %T %v, want a text list", label, col, got, got)
				continue
			}
			if got == nil || !reflect.DeepEqual(g, w) {
				t.Errorf("%s: got %s %v, want %q", label, col, got, w)
			}
		case json.RawMessage:
			if !equalJSONDocs(t, got, w) {
				t.Errorf("%s: got %s %v, want %s", label, col, got, w)
			}
		default:
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s: got %s %#v, want %#v", label, col, got, w)
			}
		}
	}
}

// equalJSONDocs reports whether got, a JSON column value, holds the same
// document as want.
func equalJSONDocs(t *testing.T, got any, want json.RawMessage) bool {
	t.Helper()
	text, ok := got.(string)
	if !ok {
		return false
	}
	var g, w any
	if err := json.Unmarshal([]byte(text), &g); err != nil {
		t.Errorf("invalid JSON %q: %v", text, err)
		return false
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("invalid wanted JSON %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

// parseWantTime parses an RFC 3339 time for wanted values.
func parseWantTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parse time %q: %v", s, err)
	}
	return v
}

func TestAccessAnalyzerDemoData(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	recs := collect(t, "aws_accessanalyzer_analyzer", c)
	if len(recs) != 1 {
		t.Fatalf("got %d analyzers, want 1 (accessanalzyer-list-analyzers.json)", len(recs))
	}
	row := storedValues(t, "aws_accessanalyzer_analyzer", recs[0])
	expectColumns(t, "analyzer default", row, map[string]any{
		"arn":                       "arn:aws:access-analyzer:us-east-1:000000000000:analyzer/default",
		"name":                      "default",
		"type":                      "ACCOUNT",
		"status":                    "ACTIVE",
		"status_reason":             nil,
		"created_at":                parseWantTime(t, "2020-06-19T21:20:04Z"),
		"last_resource_analyzed":    "arn:aws:sqs:us-east-1:000000000000:test",
		"last_resource_analyzed_at": parseWantTime(t, "2020-06-19T21:20:04.664Z"),
	})
}

// sortedRowKeys returns the keys of rows, sorted, for failure messages.
func sortedRowKeys(rows map[string]map[string]any) []string {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// motoRegionClients returns clients of the shared moto server for one
// region of moto's default account. Each test of these tables uses a region
// of its own, so resources created by one test never show in another.
func motoRegionClients(t *testing.T, region string) *Clients {
	t.Helper()
	srv := moto.Start(t)
	return NewClients(srv.AWSConfig(context.Background(), region), emulator.DefaultAccountID, region)
}

func TestAccessAnalyzerFixture(t *testing.T) {
	c := testdataClients(t, "aws_accessanalyzer_analyzer", "us-east-1")
	rows := storedRowsBy(t, "aws_accessanalyzer_analyzer", "name", collect(t, "aws_accessanalyzer_analyzer", c))
	if len(rows) != 2 {
		t.Fatalf("got %d analyzers %v, want 2", len(rows), sortedRowKeys(rows))
	}
	expectColumns(t, "org-unused", rows["org-unused"], map[string]any{
		"arn":                       "arn:aws:access-analyzer:us-east-1:111122223333:analyzer/org-unused",
		"type":                      "ORGANIZATION_UNUSED_ACCESS",
		"status":                    "ACTIVE",
		"status_reason":             nil,
		"created_at":                parseWantTime(t, "2024-03-04T05:06:07Z"),
		"last_resource_analyzed":    nil,
		"last_resource_analyzed_at": nil,
	})
	// NOTE: the offline source leaves union members such as the
	// analyzer's configuration empty, so raw's Configuration is checked in
	// the HTTP test only.
	expectColumns(t, "broken", rows["broken"], map[string]any{
		"type":          "ORGANIZATION",
		"status":        "FAILED",
		"status_reason": "AWS_SERVICE_ACCESS_DISABLED",
	})

	// A region without analyzers has no row, and its partition succeeds.
	empty := testdataClients(t, "aws_accessanalyzer_analyzer", "eu-west-1")
	if recs := collect(t, "aws_accessanalyzer_analyzer", empty); len(recs) != 0 {
		t.Errorf("eu-west-1: got %d analyzers, want 0", len(recs))
	}
}

// TestAccessAnalyzerStub runs the table over HTTP against awsstub.
//
// NOTE: there is no moto test of this table, because moto 5.2.1 does not
// implement Access Analyzer and returns HTTP 500 for every call.
func TestAccessAnalyzerStub(t *testing.T) {
	const region = "eu-central-1"
	created := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	analyzed := created.Add(time.Hour)
	analyzers := []awsstub.Analyzer{
		{
			ARN: "arn:aws:access-analyzer:eu-central-1:" + emulator.DefaultAccountID + ":analyzer/account", Name: "account",
			Type: "ACCOUNT", Status: "ACTIVE", CreatedAt: created,
			LastResourceAnalyzed: "arn:aws:s3:::logs", LastResourceAnalyzedAt: &analyzed,
			Tags: map[string]string{"owner": "secops"},
		},
		{
			ARN: "arn:aws:access-analyzer:eu-central-1:" + emulator.DefaultAccountID + ":analyzer/org", Name: "org",
			Type: "ORGANIZATION", Status: "DISABLED", StatusReasonCode: "AWS_SERVICE_ACCESS_DISABLED", CreatedAt: created,
		},
		{
			ARN: "arn:aws:access-analyzer:eu-central-1:" + emulator.DefaultAccountID + ":analyzer/unused", Name: "unused",
			Type: "ACCOUNT_UNUSED_ACCESS", Status: "CREATING", CreatedAt: created, UnusedAccessAge: 30,
		},
	}
	// Pages of two analyzers, so the three take two ListAnalyzers calls.
	stub := awsstub.Start(t, awsstub.Options{PageSize: 2}, awsstub.RegionData{
		Account: emulator.DefaultAccountID, Region: region, Analyzers: analyzers,
	})
	c := NewClients(stub.AWSConfig(region), emulator.DefaultAccountID, region)

	rows := storedRowsBy(t, "aws_accessanalyzer_analyzer", "name", collect(t, "aws_accessanalyzer_analyzer", c))
	if len(rows) != 3 {
		t.Fatalf("got %d analyzers %v, want 3", len(rows), sortedRowKeys(rows))
	}
	expectColumns(t, "account", rows["account"], map[string]any{
		"arn":                       analyzers[0].ARN,
		"type":                      "ACCOUNT",
		"status":                    "ACTIVE",
		"created_at":                created,
		"last_resource_analyzed":    "arn:aws:s3:::logs",
		"last_resource_analyzed_at": analyzed,
	})
	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"owner": "secops"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows["account"]["tags"], wantTags) {
		t.Errorf("account: got tags %v, want %v", rows["account"]["tags"], wantTags)
	}
	expectColumns(t, "org", rows["org"], map[string]any{
		"status":        "DISABLED",
		"status_reason": "AWS_SERVICE_ACCESS_DISABLED",
	})
	expectColumns(t, "unused", rows["unused"], map[string]any{
		"type":   "ACCOUNT_UNUSED_ACCESS",
		"status": "CREATING",
	})
	if raw, _ := rows["unused"]["raw"].(string); !strings.Contains(raw, `"UnusedAccessAge":30`) {
		t.Errorf("unused: raw lacks the unused access configuration: %s", raw)
	}

	// A region of the stub without analyzers returns an empty list.
	other := NewClients(stub.AWSConfig("eu-west-1"), emulator.DefaultAccountID, "eu-west-1")
	if recs := collect(t, "aws_accessanalyzer_analyzer", other); len(recs) != 0 {
		t.Errorf("eu-west-1: got %d analyzers, want 0", len(recs))
	}
}
