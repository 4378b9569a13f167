package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// fakeWorld is the estate that the test provider serves: region to
// resource id to value. A region listed in fail returns an error.
type fakeWorld struct {
	resources map[string]map[string]string
	fail      map[string]error
	// failAfter holds regions whose fetch emits every resource and then
	// returns the error, as a listing that fails on a late page does.
	failAfter map[string]error
	// onFetch, when set, runs at the start of every fetch.
	onFetch func(region string)
}

type fakeProvider struct{ world *fakeWorld }

func (fakeProvider) Name() string   { return "fake" }
func (fakeProvider) Source() string { return "test" }
func (p fakeProvider) Scopes(context.Context) ([]Scope, error) {
	return []Scope{{
		AccountID: "111122223333",
		Regions:   []string{"r1", "r2"},
		Client:    func(string) (any, error) { return p.world, nil },
	}}, nil
}

var errDenied = errors.New("AccessDenied: not allowed")

func (fakeProvider) Classify(err error) (string, string) {
	if errors.Is(err, errDenied) {
		return store.StatusBlindSpot, "AccessDenied"
	}
	return store.StatusFailed, "Unknown"
}

var fakeTable = &tables.Table{
	Name:        "fake_thing",
	Provider:    "fake",
	Description: "Things of the fake cloud.",
	Key:         "id",
	Columns: []store.Column{
		{Name: "id", Type: store.TypeText, Description: "Id of the thing."},
		{Name: "value", Type: store.TypeText, Description: "Value of the thing."},
	},
	Fetch: func(ctx context.Context, t tables.Target, emit func(tables.Record) error) error {
		w := t.Client.(*fakeWorld)
		if w.onFetch != nil {
			w.onFetch(t.Region)
		}
		if err := w.fail[t.Region]; err != nil {
			return err
		}
		for id, v := range w.resources[t.Region] {
			if err := emit(tables.Record{"id": t.Region + "/" + id, "value": v}); err != nil {
				return err
			}
		}
		return w.failAfter[t.Region]
	},
}

func init() { tables.Register(fakeTable) }

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func count(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestRunHistory(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	world := &fakeWorld{resources: map[string]map[string]string{
		"r1": {"a": "1", "b": "2"},
		"r2": {"c": "3"},
	}}
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	run := func() *Result {
		t.Helper()
		res, err := Run(ctx, st, fakeProvider{world}, Options{Now: clk.now})
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(time.Hour)
		return res
	}

	first := run()
	if got := first.Summary.VersionsAdded; got != 3 {
		t.Fatalf("first sync added %d versions, want 3", got)
	}

	second := run()
	if second.Summary.VersionsAdded != 0 || second.Summary.VersionsClosed != 0 {
		t.Fatalf("unchanged re-sync added %d and closed %d versions, want 0 and 0", second.Summary.VersionsAdded, second.Summary.VersionsClosed)
	}
	if got := count(t, st, "SELECT count(*) FROM history.fake_thing"); got != 3 {
		t.Fatalf("history has %d rows after unchanged re-sync, want 3", got)
	}

	world.resources["r1"]["a"] = "changed"
	third := run()
	if third.Summary.VersionsAdded != 1 || third.Summary.VersionsClosed != 1 {
		t.Fatalf("one change added %d and closed %d versions, want 1 and 1", third.Summary.VersionsAdded, third.Summary.VersionsClosed)
	}

	// A failed region keeps its rows; a deletion in a completed region is
	// recorded.
	world.fail = map[string]error{"r2": errDenied}
	delete(world.resources["r2"], "c")
	delete(world.resources["r1"], "b")
	fourth := run()
	if fourth.Summary.Status != store.RunPartial {
		t.Fatalf("run status %q, want %q", fourth.Summary.Status, store.RunPartial)
	}
	if got := count(t, st, "SELECT count(*) FROM fake_thing WHERE id = 'r2/c'"); got != 1 {
		t.Fatalf("resource in the failed region: got %d rows, want 1 kept", got)
	}
	if got := count(t, st, "SELECT count(*) FROM fake_thing WHERE id = 'r1/b'"); got != 0 {
		t.Fatalf("deleted resource in a completed region: got %d rows, want 0", got)
	}
	if got := count(t, st, "SELECT count(*) FROM stance_sync_partition WHERE status = 'blind_spot' AND region = 'r2'"); got != 1 {
		t.Fatalf("blind spots recorded for r2: got %d, want 1", got)
	}

	// Time travel: the value before the change, and the deleted resource.
	conn, err := st.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := store.SetAt(ctx, conn, first.SyncTime.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := conn.QueryRowContext(ctx, "SELECT value FROM fake_thing WHERE id = 'r1/a'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != "1" {
		t.Errorf("value at first sync: got %q, want %q", v, "1")
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM fake_thing").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("resources at first sync: got %d, want 3", n)
	}
}

func TestRunCancelled(t *testing.T) {
	st := openStore(t)
	world := &fakeWorld{resources: map[string]map[string]string{"r1": {"a": "1"}, "r2": {"b": "2"}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	world.onFetch = func(region string) {
		if region == "r2" {
			cancel()
		}
	}
	res, err := Run(ctx, st, fakeProvider{world}, Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Status != store.RunCancelled {
		t.Errorf("status %q, want %q", res.Summary.Status, store.RunCancelled)
	}
	if got := count(t, st, "SELECT count(*) FROM stance_sync_run WHERE status = 'cancelled' AND finished_at IS NOT NULL"); got != 1 {
		t.Errorf("cancelled runs recorded: got %d, want 1", got)
	}
	if got := count(t, st, "SELECT count(*) FROM fake_thing WHERE id = 'r1/a'"); got != 1 {
		t.Errorf("partition completed before Ctrl-C: got %d rows, want 1", got)
	}
	if got := count(t, st, "SELECT count(*) FROM stance_sync_partition WHERE region = 'r2' AND status = 'cancelled'"); got != 1 {
		t.Errorf("interrupted partition: got %d cancelled records, want 1", got)
	}
}

func TestRunFailureAfterBatchesKeepsRows(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	// More resources than one batch, so that the failing partition has
	// written batches before its fetch fails.
	n := 2*batchRows + 10
	r1 := map[string]string{}
	for i := range n {
		r1[fmt.Sprintf("res%05d", i)] = "v1"
	}
	world := &fakeWorld{resources: map[string]map[string]string{"r1": r1, "r2": {"x": "v1"}}}
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := Run(ctx, st, fakeProvider{world}, Options{Now: clk.now}); err != nil {
		t.Fatal(err)
	}

	// Every resource of r1 changes and one is deleted, but the listing of
	// r1 fails after its last page. r2 changes and completes.
	clk.t = clk.t.Add(time.Hour)
	for id := range r1 {
		r1[id] = "v2"
	}
	delete(r1, "res00000")
	world.resources["r2"]["x"] = "v2"
	world.failAfter = map[string]error{"r1": errors.New("throttled on the last page")}
	res, err := Run(ctx, st, fakeProvider{world}, Options{Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Status != store.RunPartial {
		t.Errorf("run status %q, want %q", res.Summary.Status, store.RunPartial)
	}
	if res.Summary.VersionsAdded != 1 || res.Summary.VersionsClosed != 1 {
		t.Errorf("run added %d and closed %d versions, want 1 and 1 (r2 only)", res.Summary.VersionsAdded, res.Summary.VersionsClosed)
	}
	if got := count(t, st, "SELECT count(*) FROM fake_thing WHERE region = 'r1' AND value = 'v1'"); got != n {
		t.Errorf("rows of the failed partition: got %d with the previous value, want %d", got, n)
	}
	if got := count(t, st, "SELECT count(*) FROM history.fake_thing WHERE region = 'r1'"); got != n {
		t.Errorf("versions of the failed partition in history: got %d, want %d", got, n)
	}
	if got := count(t, st, "SELECT count(*) FROM fake_thing WHERE id = 'r2/x' AND value = 'v2'"); got != 1 {
		t.Errorf("changed resource of the completed partition: got %d rows with the new value, want 1", got)
	}
}

// fakeDocTable serves the values of fakeWorld as JSON documents.
var fakeDocTable = &tables.Table{
	Name:        "fake_doc",
	Provider:    "fake",
	Description: "Documents of the fake cloud.",
	Key:         "id",
	Columns: []store.Column{
		{Name: "id", Type: store.TypeText, Description: "Id of the document."},
		{Name: "doc", Type: store.TypeJSON, Description: "The document."},
	},
	Fetch: func(ctx context.Context, t tables.Target, emit func(tables.Record) error) error {
		w := t.Client.(*fakeWorld)
		for id, v := range w.resources[t.Region] {
			if err := emit(tables.Record{"id": t.Region + "/" + id, "doc": v}); err != nil {
				return err
			}
		}
		return nil
	},
}

func TestRunInvalidDocumentFailsItsPartition(t *testing.T) {
	tests := []struct {
		name   string
		change func(r1 map[string]string)
	}{
		{"new row", func(r1 map[string]string) { r1["n"] = `{"v":` }},
		{"changed row", func(r1 map[string]string) { r1["a"] = `{"v":` }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			world := &fakeWorld{resources: map[string]map[string]string{
				"r1": {"a": `{"v":1}`, "b": `{"v":2}`},
				"r2": {"c": `{"v":3}`},
			}}
			clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			opts := Options{Tables: []*tables.Table{fakeDocTable}, Now: clk.now}
			if _, err := Run(ctx, st, fakeProvider{world}, opts); err != nil {
				t.Fatal(err)
			}

			// r1 gets an invalid document next to a valid change, and r2
			// a valid change.
			clk.t = clk.t.Add(time.Hour)
			world.resources["r1"]["b"] = `{"v":20}`
			world.resources["r2"]["c"] = `{"v":30}`
			tt.change(world.resources["r1"])
			res, err := Run(ctx, st, fakeProvider{world}, opts)
			if err != nil {
				t.Fatalf("run with an invalid document: %v, want the partition failed and no run error", err)
			}
			if res.Summary.Status != store.RunPartial {
				t.Errorf("run status %q, want %q", res.Summary.Status, store.RunPartial)
			}
			if res.Summary.VersionsAdded != 1 || res.Summary.VersionsClosed != 1 {
				t.Errorf("run added %d and closed %d versions, want 1 and 1 (r2 only)", res.Summary.VersionsAdded, res.Summary.VersionsClosed)
			}
			for _, p := range res.Partitions {
				switch p.Region {
				case "r1":
					if p.Status != store.StatusFailed {
						t.Errorf("partition r1: status %q, want %q", p.Status, store.StatusFailed)
					}
					if !strings.Contains(p.Error, "table fake_doc column doc") {
						t.Errorf("partition r1: error %q, want it to name table fake_doc and column doc", p.Error)
					}
					if !strings.Contains(p.Error, "invalid JSON document") {
						t.Errorf("partition r1: error %q, want it to say the JSON document is invalid", p.Error)
					}
				case "r2":
					if p.Status != store.StatusOK {
						t.Errorf("partition r2: status %q (%s), want %q", p.Status, p.Error, store.StatusOK)
					}
				}
			}
			if got := count(t, st, "SELECT count(*) FROM stance_sync_partition WHERE region = 'r1' AND status = 'failed' AND error LIKE '%column doc%'"); got != 1 {
				t.Errorf("failed r1 partitions recorded with the error: got %d, want 1", got)
			}
			if got := count(t, st, `SELECT count(*) FROM fake_doc WHERE region = 'r1' AND (doc->>'v') IN ('1', '2')`); got != 2 {
				t.Errorf("rows of r1 with their previous documents: got %d, want 2", got)
			}
			if got := count(t, st, "SELECT count(*) FROM history.fake_doc WHERE region = 'r1'"); got != 2 {
				t.Errorf("versions of r1 in history: got %d, want 2", got)
			}
			if got := count(t, st, `SELECT count(*) FROM fake_doc WHERE id = 'r2/c' AND (doc->>'v') = '30'`); got != 1 {
				t.Errorf("changed document of r2: got %d rows with the new value, want 1", got)
			}
		})
	}
}
