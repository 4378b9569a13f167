package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/demo/gcpworld"
	"github.com/stance-cspm/stance/internal/report"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncgcp "github.com/stance-cspm/stance/sync/gcp"
)

// demoGCPBenchmark is the benchmark the demo runs over its GCP organisation.
const demoGCPBenchmark = "cis_gcp@4.0.0"

// printDemoGCP prints the import of the built-in GCP organisation and what
// the CIS GCP benchmark, evaluated at the time at, finds there. The demo
// imports the organisation before the AWS estate, so that the last two
// syncs stay the AWS sync and its incident, which 'stance drift' compares.
func printDemoGCP(ctx context.Context, g *globals, w io.Writer, st *store.Store, res *sync.Result, at time.Time) error {
	fmt.Fprintf(w, "\nstance demo: imported a built-in Google Cloud organisation (%s, projects %s, %s and %s)\n",
		gcpworld.OrganizationID, gcpworld.ProdProjectID, gcpworld.DevProjectID, gcpworld.DataProjectID)
	fmt.Fprint(w, "from a Cloud Asset Inventory export, as 'stance sync gcp --from-file' reads it\n\n")
	printSyncSummary(w, "", res)
	if err := printTableCounts(ctx, w, st, res.RunID); err != nil {
		return err
	}
	return printDemoGCPCheck(ctx, g, w, st, at)
}

// importDemoGCP imports the built-in GCP organisation through the same
// offline import as 'stance sync gcp --from-file', at the time at. It
// writes the embedded export to a temporary file because the import reads
// files.
func importDemoGCP(ctx context.Context, g *globals, st *store.Store, at time.Time) (*sync.Result, error) {
	dir, err := os.MkdirTemp("", "stance-demo-gcp-")
	if err != nil {
		return nil, fmt.Errorf("write the demo GCP export: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, gcpworld.FileName)
	if err := os.WriteFile(path, gcpworld.World(), 0o600); err != nil {
		return nil, fmt.Errorf("write the demo GCP export: %w", err)
	}
	p, err := syncgcp.NewOffline(syncgcp.OfflineOptions{Paths: []string{path}, Logger: quietLogger(g)})
	if err != nil {
		return nil, fmt.Errorf("open the demo GCP export: %w", err)
	}
	res, err := sync.Run(ctx, st, p, sync.Options{Logger: quietLogger(g), Now: func() time.Time { return at }})
	if err != nil {
		return nil, err
	}
	if res.Summary.Status == store.RunCancelled {
		return nil, &exitError{code: ExitInterrupted, err: errors.New("demo interrupted")}
	}
	return res, nil
}

// printDemoGCPCheck runs the CIS GCP benchmark evaluated at the time at
// and prints its findings worst first.
func printDemoGCPCheck(ctx context.Context, g *globals, w io.Writer, st *store.Store, at time.Time) error {
	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		return err
	}
	b, err := p.Benchmark(demoGCPBenchmark)
	if err != nil {
		return err
	}
	opts := benchmarks.Options{Logger: quietLogger(g), Now: func() time.Time { return at }}
	run, err := benchmarks.Execute(ctx, st, p, b, nil, benchmarks.Filters{}, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFindings of %s (stance check %s), worst first:\n\n", b.Title, demoGCPBenchmark)
	return report.Write(w, "table", run, report.Options{MaxRows: 3, Color: isTerminal(w), Version: Version})
}
