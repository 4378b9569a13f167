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
)

// demoAzureBenchmark is the benchmark the demo runs over its Azure tenant.
const demoAzureBenchmark = "cis_azure@5.0.0"

// runAzureDemo syncs the demo's Azure tenant at the time at, from an
// emulator that serves it on 127.0.0.1 inside the process, then runs the
// CIS Azure benchmark over it and prints the findings worst first.
//
// It runs between the AWS check and the AWS incident. The incident's
// drift compares the estate at the last two sync times, and the AWS
// tables do not change between the first AWS sync and this one, so the
// Azure sync in between leaves that drift unchanged.
func runAzureDemo(ctx context.Context, g *globals, w io.Writer, st *store.Store, at time.Time) error {
	fmt.Fprintf(w, "\nstance demo: syncing a built-in Azure tenant (subscriptions contoso-prod %s,\n", azureworld.ProdSubscriptionID)
	fmt.Fprintf(w, "contoso-platform %s) from an Azure emulator on 127.0.0.1\n\n", azureworld.PlatformSubscriptionID)

	res, err := azureworld.Sync(ctx, st, func() time.Time { return at }, quietLogger(g))
	if err != nil {
		return err
	}
	printSyncSummary(w, "", res)
	if res.Summary.Status == store.RunCancelled {
		return &exitError{code: ExitInterrupted, err: errors.New("demo interrupted")}
	}

	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		return err
	}
	b, err := p.Benchmark(demoAzureBenchmark)
	if err != nil {
		return err
	}
	opts := benchmarks.Options{Logger: quietLogger(g), Now: func() time.Time { return at }}
	run, err := benchmarks.Execute(ctx, st, p, b, nil, benchmarks.Filters{}, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFindings of %s (stance check %s), worst first:\n\n", b.Title, demoAzureBenchmark)
	return report.Write(w, "table", run, report.Options{MaxRows: 3, Color: isTerminal(w), Version: Version})
}
