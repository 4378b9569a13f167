package aws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// This file tests the detail-call helpers and holds the test helpers that
// the S3, RDS, KMS and CloudTrail table tests share.

func TestClassifyDetail(t *testing.T) {
	apiErr := func(code string) error {
		return fmt.Errorf("wrapped: %w", &smithy.GenericAPIError{Code: code, Message: "test"})
	}
	absent := []string{"NoSuchBucketPolicy"}
	cases := []struct {
		name     string
		err      error
		unknown  []string
		want     detailOutcome
		wantFail bool
	}{
		{name: "nil error", err: nil, want: detailFound},
		{name: "absent code", err: apiErr("NoSuchBucketPolicy"), want: detailAbsent},
		{name: "access denied", err: apiErr("AccessDenied"), want: detailUnknown},
		{name: "access denied exception", err: apiErr("AccessDeniedException"), want: detailUnknown},
		{name: "not collected", err: apiErr("NotCollected"), want: detailUnknown},
		{name: "extra unknown code", err: apiErr("KMSInvalidStateException"), unknown: []string{"KMSInvalidStateException"}, want: detailUnknown},
		{name: "throttling fails", err: apiErr("Throttling"), wantFail: true},
		{name: "plain error fails", err: errors.New("connection reset"), wantFail: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := classifyDetail(tc.err, absent, tc.unknown...)
			if tc.wantFail {
				if err == nil {
					t.Fatalf("got outcome %d and no error, want the error back", got)
				}
				if !errors.Is(err, tc.err) {
					t.Errorf("got error %v, want %v unchanged", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got != tc.want {
				t.Errorf("got outcome %d, want %d", got, tc.want)
			}
		})
	}
}

func TestReadConcurrentlyOrderAndLimit(t *testing.T) {
	items := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	var running, maxRunning atomic.Int32
	read := func(ctx context.Context, i int) (tables.Record, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		// Later items finish first, so an emit order that follows the
		// finishing order would be reversed.
		time.Sleep(time.Duration(len(items)-i) * time.Millisecond)
		if i == 5 {
			return nil, nil
		}
		return tables.Record{"i": i}, nil
	}

	var got []int
	err := readConcurrently(context.Background(), 3, items, read, func(rec tables.Record) error {
		got = append(got, rec["i"].(int))
		return nil
	})
	if err != nil {
		t.Fatalf("readConcurrently: %v", err)
	}
	want := []int{0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got emitted %v, want %v", got, want)
	}
	if maxRunning.Load() > 3 {
		t.Errorf("got %d reads at once, want at most 3", maxRunning.Load())
	}
}

func TestReadConcurrentlyStopsOnError(t *testing.T) {
	failure := errors.New("read failed")
	emitted := 0
	err := readConcurrently(context.Background(), 2, []int{1, 2, 3}, func(ctx context.Context, i int) (tables.Record, error) {
		if i == 2 {
			return nil, failure
		}
		return tables.Record{"i": i}, nil
	}, func(tables.Record) error {
		emitted++
		return nil
	})
	if !errors.Is(err, failure) {
		t.Errorf("got error %v, want %v", err, failure)
	}
	if emitted != 0 {
		t.Errorf("got %d records emitted, want 0 after a failed read", emitted)
	}
}

// motoClientsFor resets the shared moto server and returns clients of
// moto's default account for region, which may be "global".
func motoClientsFor(t *testing.T, region string) *Clients {
	t.Helper()
	server := moto.Start(t)
	if err := server.Reset(); err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	cfg := server.AWSConfig(context.Background(), HomeRegion)
	return NewClients(cfg, emulator.DefaultAccountID, region)
}

// mustSetUp runs one setup call and fails the test when it fails.
func mustSetUp(t *testing.T, what string, call func() error) {
	t.Helper()
	if err := call(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// recordsByColumn indexes records by the text of one column and fails on
// a duplicate.
func recordsByColumn(t *testing.T, recs []tables.Record, column string) map[string]tables.Record {
	t.Helper()
	out := map[string]tables.Record{}
	for _, rec := range recs {
		value, err := tables.Convert(store.TypeText, rec[column])
		if err != nil {
			t.Fatalf("column %s: %v", column, err)
		}
		name, _ := value.(string)
		if _, dup := out[name]; dup {
			t.Errorf("%s %q emitted twice", column, name)
		}
		out[name] = rec
	}
	return out
}

// columnExpectation is the expected value of one column of one resource.
// For a JSON column, want is compared with the stored document as a
// subset: every key of want must be there with that value, and other keys
// are ignored. For tags, want is a map[string]string.
type columnExpectation struct {
	resource string
	column   string
	want     any
}

// expectStoredColumns checks every expectation against the value that the
// store would hold.
func expectStoredColumns(t *testing.T, table string, byKey map[string]tables.Record, expectations []columnExpectation) {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	types := map[string]string{}
	for _, col := range tbl.Schema().Columns {
		types[col.Name] = col.Type
	}

	for _, e := range expectations {
		rec, ok := byKey[e.resource]
		if !ok {
			t.Errorf("%s: resource %q not emitted", table, e.resource)
			continue
		}
		columnType, ok := types[e.column]
		if !ok {
			t.Errorf("%s: no column %s", table, e.column)
			continue
		}
		if columnType == store.TypeTags {
			got := Tags(rec[e.column])
			if rec[e.column] == nil {
				got = nil
			}
			if !reflect.DeepEqual(got, e.want) {
				t.Errorf("%s %s.%s: got %#v, want %#v", table, e.resource, e.column, got, e.want)
			}
			continue
		}

		got, err := tables.Convert(columnType, rec[e.column])
		if err != nil {
			t.Errorf("%s %s.%s: %v", table, e.resource, e.column, err)
			continue
		}
		if columnType == store.TypeJSON && got != nil && e.want != nil {
			if !jsonContains(t, fmt.Sprintf("%s", got), e.want) {
				t.Errorf("%s %s.%s: got %s, want a document containing %s", table, e.resource, e.column, got, mustJSON(t, e.want))
			}
			continue
		}
		if !sameJSON(t, got, e.want) {
			t.Errorf("%s %s.%s: got %#v, want %#v", table, e.resource, e.column, got, e.want)
		}
	}
}

// sameJSON reports whether two values encode to the same JSON, so that a
// stored int64 equals an int literal and a []any of strings a []string.
func sameJSON(t *testing.T, got, want any) bool {
	t.Helper()
	return mustJSON(t, got) == mustJSON(t, want)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %#v: %v", v, err)
	}
	return string(b)
}

// jsonContains reports whether document contains want: objects may have
// more keys than want, arrays must have the same length.
func jsonContains(t *testing.T, document string, want any) bool {
	t.Helper()
	var got, normalized any
	if err := json.Unmarshal([]byte(document), &got); err != nil {
		t.Fatalf("stored JSON %q is invalid: %v", document, err)
	}
	if err := json.Unmarshal([]byte(mustJSON(t, want)), &normalized); err != nil {
		t.Fatalf("decode expectation: %v", err)
	}
	return containsJSON(got, normalized)
}

func containsJSON(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for key, value := range w {
			if !containsJSON(g[key], value) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !containsJSON(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}
