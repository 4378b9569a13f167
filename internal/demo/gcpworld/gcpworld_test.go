package gcpworld_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/demo/gcpworld"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncgcp "github.com/stance-cspm/stance/sync/gcp"
)

// importWorld imports the demo organisation through the offline import
// into a new store, as the demo does.
func importWorld(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, gcpworld.FileName)
	if err := os.WriteFile(path, gcpworld.World(), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "stance.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := syncgcp.NewOffline(syncgcp.OfflineOptions{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sync.Run(ctx, st, p, sync.Options{Now: gcpworld.CollectedAt})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Status != store.RunOK {
		t.Fatalf("import status %s (%d failed, %d blind spots), want ok", res.Summary.Status, res.Summary.PartitionsFailed, res.Summary.PartitionsBlindSpot)
	}
	return st
}

func TestWorldImportsEveryAsset(t *testing.T) {
	st := importWorld(t)
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(gcpworld.World()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			lines++
		}
	}
	var assets int
	if err := st.DB().QueryRow(`SELECT count(*) FROM gcp_asset`).Scan(&assets); err != nil {
		t.Fatal(err)
	}
	if assets != lines {
		t.Errorf("gcp_asset has %d rows, want one per line of the export: %d", assets, lines)
	}
	for table, want := range map[string]int{
		"gcp_resourcemanager_project": 3,
		"gcp_storage_bucket":          5,
		"gcp_compute_firewall":        8,
		"gcp_compute_instance":        5,
		"gcp_sql_instance":            3,
		"gcp_kms_crypto_key":          4,
	} {
		var got int
		if err := st.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s has %d rows, want %d", table, got, want)
		}
	}
}

// TestPlantedFindings runs the CIS GCP benchmark over the imported world
// and checks that every planted misconfiguration fails its control, and
// that the benchmark runs without a broken control.
func TestPlantedFindings(t *testing.T) {
	st := importWorld(t)
	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Benchmark("cis_gcp@4.0.0")
	if err != nil {
		t.Fatal(err)
	}
	opts := benchmarks.Options{Now: func() time.Time { return gcpworld.CollectedAt().Add(time.Hour) }}
	run, err := benchmarks.Execute(context.Background(), st, p, b, nil, benchmarks.Filters{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]map[string]string{}
	for _, o := range run.Outcomes {
		if o.Err != nil {
			t.Errorf("control %s failed to run: %v", o.Control.ID, o.Err)
		}
		m := map[string]string{}
		for _, r := range o.Results {
			if r.Status == benchmarks.StatusError {
				t.Errorf("control %s: resource %s: error: %s", o.Control.ID, r.Resource, r.Reason)
			}
			m[r.Resource] = r.Status
		}
		status[o.Control.ID] = m
	}
	for _, f := range gcpworld.Planted() {
		results, ok := status[f.Control]
		if !ok {
			t.Errorf("%s: the benchmark does not run this control", f.Control)
			continue
		}
		if got := results[f.Resource]; got != benchmarks.StatusFail {
			t.Errorf("%s on %s: got %q, want fail (%s)", f.Control, f.Resource, got, f.Problem)
		}
	}
}
