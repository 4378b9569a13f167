package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/demo/azureworld"
	"github.com/stance-cspm/stance/internal/report"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
)

// demoAzureBenchmark is the benchmark the demo runs over its Azure tenant.
const demoAzureBenchmark = "cis_azure@5.0.0"

// demoAzureDatabases is the benchmark version and section that the demo
// adds for the SQL servers, because v5.0.0 moved the database
// requirements to a separate CIS benchmark.
const (
	demoAzureDatabases        = "cis_azure@3.0.0"
	demoAzureDatabasesSection = "5"
)

// demoAzureLead is how long before the first AWS sync the Azure tenant is
// synced. The incident's drift compares the last two sync times, which
// must stay the two AWS syncs, so the Azure sync goes first.
const demoAzureLead = time.Minute

// azureDemo is the Azure sync of the demo, made before the AWS sync and
// printed after the AWS findings.
type azureDemo struct {
	res *sync.Result
	at  time.Time
}

// syncAzureDemo syncs the demo's Azure tenant at the time at, from an
// emulator that serves it on 127.0.0.1 inside the process. It prints
// nothing, so that the demo's output starts with the AWS estate.
func syncAzureDemo(ctx context.Context, g *globals, st *store.Store, at time.Time) (*azureDemo, error) {
	res, err := azureworld.Sync(ctx, st, func() time.Time { return at }, quietLogger(g))
	if err != nil {
		return nil, err
	}
	if res.Summary.Status == store.RunCancelled {
		return nil, &exitError{code: ExitInterrupted, err: errors.New("demo interrupted")}
	}
	return &azureDemo{res: res, at: at}, nil
}

// printAzureDemo prints the Azure sync, runs the CIS Azure benchmark over
// the tenant, evaluated at the sync time, and prints the findings worst
// first.
func printAzureDemo(ctx context.Context, g *globals, w io.Writer, st *store.Store, az *azureDemo) error {
	fmt.Fprintf(w, "\nThe Azure tenant (subscriptions contoso-prod %s and\n", azureworld.ProdSubscriptionID)
	fmt.Fprintf(w, "contoso-platform %s), synced at %s from an Azure emulator\n", azureworld.PlatformSubscriptionID, az.at.Format(time.RFC3339))
	fmt.Fprint(w, "that serves it on 127.0.0.1 inside the process:\n\n")
	printSyncSummary(w, "", az.res)

	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		return err
	}
	b, err := p.Benchmark(demoAzureBenchmark)
	if err != nil {
		return err
	}
	opts := benchmarks.Options{Logger: quietLogger(g), Now: func() time.Time { return az.at }}
	run, err := benchmarks.Execute(ctx, st, p, b, nil, benchmarks.Filters{}, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFindings of %s (stance check %s), worst first:\n\n", b.Title, demoAzureBenchmark)
	if err := report.Write(w, "table", run, report.Options{MaxRows: 3, Color: isTerminal(w), Version: Version}); err != nil {
		return err
	}

	db, err := p.Benchmark(demoAzureDatabases)
	if err != nil {
		return err
	}
	run, err = benchmarks.Execute(ctx, st, p, db, nil, benchmarks.Filters{Sections: []string{demoAzureDatabasesSection}}, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFindings of the SQL servers, from the Database Services section of %s\n", demoAzureDatabases)
	fmt.Fprintf(w, "(stance check %s --section %s), worst first:\n\n", demoAzureDatabases, demoAzureDatabasesSection)
	return report.Write(w, "table", run, report.Options{MaxRows: 3, Color: isTerminal(w), Version: Version})
}
