package azureworld

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/store"
	_ "github.com/stance-cspm/stance/tables/aws"
	_ "github.com/stance-cspm/stance/tables/azure"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// syncedDemo syncs the demo world into a new store and runs both CIS Azure
// manifests over it, evaluated at the sync time.
func syncedDemo(t *testing.T) (*store.Store, []*benchmarks.Run) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "demo.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })

	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	res, err := Sync(context.Background(), st, func() time.Time { return now }, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Partitions {
		if p.Status != store.StatusOK {
			t.Errorf("partition %s %s: %s %s: %s", p.AccountID, p.Table, p.Status, p.ErrorCode, p.Error)
		}
	}

	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	var runs []*benchmarks.Run
	for _, ref := range []string{"cis_azure@3.0.0", "cis_azure@5.0.0"} {
		b, err := p.Benchmark(ref)
		if err != nil {
			t.Fatal(err)
		}
		run, err := benchmarks.Execute(context.Background(), st, p, b, nil, benchmarks.Filters{},
			benchmarks.Options{Logger: quiet, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		runs = append(runs, run)
	}
	return st, runs
}

func TestWorldSubscriptions(t *testing.T) {
	w, err := World()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range w.Subscriptions {
		got[s.SubscriptionID] = true
	}
	for _, want := range []string{ProdSubscriptionID, PlatformSubscriptionID} {
		if !got[want] {
			t.Errorf("world has no subscription %s", want)
		}
	}
	if len(w.Subscriptions) != 2 {
		t.Errorf("world has %d subscriptions, want 2", len(w.Subscriptions))
	}
}

func TestDemoPackFindings(t *testing.T) {
	st, runs := syncedDemo(t)

	status := map[[2]string]string{}
	for _, run := range runs {
		for _, o := range run.Outcomes {
			if o.Err != nil {
				t.Errorf("control %s failed: %v", o.Control.ID, o.Err)
			}
			for _, r := range o.Results {
				status[[2]string{o.Control.ID, r.Resource}] = r.Status
				if r.Status == benchmarks.StatusError || r.Status == benchmarks.StatusSkip {
					t.Errorf("%s %s: %s (%s)", o.Control.ID, r.Resource, r.Status, r.Reason)
				}
				if r.AccountID == PlatformSubscriptionID && r.Status == benchmarks.StatusFail {
					t.Errorf("hardened subscription fails %s on %s: %s", o.Control.ID, r.Resource, r.Reason)
				}
			}
		}
	}

	for _, f := range Planted() {
		key := [2]string{f.Control, f.Resource}
		if got := status[key]; got != benchmarks.StatusFail {
			t.Errorf("planted %s on %s: got status %q, want fail", f.Control, f.Resource, got)
		}
		var open int
		err := st.DB().QueryRow(`SELECT count(*) FROM stance_finding WHERE control_id = ? AND resource = ? AND status = 'open'`,
			f.Control, f.Resource).Scan(&open)
		if err != nil {
			t.Fatal(err)
		}
		if open != 1 {
			t.Errorf("planted %s on %s: %d open findings, want 1", f.Control, f.Resource, open)
		}
	}
}
