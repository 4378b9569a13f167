package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/drift"
	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

// demoClock returns the sync time of the demo's first sync and of the
// incident sync. The incident sync is dated now and the first sync
// demo.IncidentDelay earlier, so that the commands the demo suggests
// afterwards, which compare the two latest syncs and check runs, show the
// incident.
//
// NOTE: another sync or check run that the demo adds must be dated at or
// before the first sync, or 'stance drift' and 'stance drift --findings'
// without --from and --to compare it instead. TestDemoIncidentVisibleAfterwards
// fails when that happens.
func demoClock(now time.Time) (first, incident time.Time) {
	incident = now.UTC().Truncate(time.Second)
	return incident.Add(-demo.IncidentDelay), incident
}

// runDemoIncident simulates the classic incident after the demo's first
// sync and check, both dated first: a deployment pipeline makes a prod
// bucket public. It syncs the changed world at the time at, checks it
// again, and prints the resource drift and the findings drift between the
// two syncs.
func runDemoIncident(ctx context.Context, g *globals, w io.Writer, st *store.Store, first, at time.Time) error {
	fsys, root, err := demo.IncidentWorld()
	if err != nil {
		return err
	}
	p, err := syncaws.NewOfflineFS(fsys, root, "demo incident")
	if err != nil {
		return fmt.Errorf("open the demo world after the incident: %w", err)
	}

	fmt.Fprintf(w, "\nThe incident, %s later (%s): a deployment pipeline switches off the public\n", formatDelay(demo.IncidentDelay), at.Format(time.RFC3339))
	fmt.Fprintf(w, "access block of bucket %s in prod (%s) and appends a statement to\n", demo.IncidentBucket, demo.ProdAccountID)
	fmt.Fprintln(w, `its bucket policy that lets anyone ("Principal": "*") call s3:GetObject.`)
	fmt.Fprint(w, "stance syncs the estate again and runs the benchmark again.\n\n")

	res, err := sync.Run(ctx, st, p, sync.Options{Logger: quietLogger(g), Now: func() time.Time { return at }})
	if err != nil {
		return err
	}
	printSyncSummary(w, "", res)
	if res.Summary.Status == store.RunCancelled {
		return &exitError{code: ExitInterrupted, err: errors.New("demo interrupted")}
	}
	if err := checkDemoQuietly(ctx, g, st, at); err != nil {
		return err
	}

	changes, err := drift.Changes(ctx, st.DB(), first, at, drift.Filter{})
	if err != nil {
		return err
	}
	fmt.Fprint(w, "\nWhat changed between the two syncs (stance drift):\n\n")
	if err := drift.Write(w, "table", drift.Report{From: first, To: at, Changes: changes}); err != nil {
		return err
	}

	older, newer, err := drift.CheckRuns(ctx, st.DB(), first, at)
	if err != nil {
		return err
	}
	findings, err := drift.FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		return err
	}
	fmt.Fprint(w, "\nWhich findings that change caused (stance drift --findings):\n\n")
	return drift.WriteFindings(w, "table", drift.FindingsReport{From: older, To: newer, Changes: findings})
}

// checkDemoQuietly runs the demo benchmark evaluated at the time at and
// stores its results without printing them: the findings drift shows what
// changed.
func checkDemoQuietly(ctx context.Context, g *globals, st *store.Store, at time.Time) error {
	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		return err
	}
	b, err := p.Benchmark(demoBenchmark)
	if err != nil {
		return err
	}
	opts := benchmarks.Options{Logger: quietLogger(g), Now: func() time.Time { return at }}
	if _, err := benchmarks.Execute(ctx, st, p, b, nil, benchmarks.Filters{}, opts); err != nil {
		return fmt.Errorf("check the demo estate after the incident: %w", err)
	}
	return nil
}

// formatDelay returns a duration in words, such as "one hour".
func formatDelay(d time.Duration) string {
	if d == time.Hour {
		return "one hour"
	}
	return d.String()
}
