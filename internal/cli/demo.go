package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/report"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/queries"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

// demoDB is the demo's database file unless --db is given, so the demo
// never writes into the user's default database.
const demoDB = "stance-demo.duckdb"

// demoQueries are the named queries whose results the demo prints, in order.
var demoQueries = []string{
	"aws_s3_public_buckets",
	"aws_ec2_imdsv1_public_instances",
	"aws_vpc_admin_ports_open_to_world",
	"aws_iam_roles_with_admin_access",
	"aws_iam_root_access_keys",
	"aws_iam_console_users_without_mfa",
	"aws_kms_keys_without_rotation",
	"aws_rds_public_or_unencrypted",
	"aws_cloudtrail_without_multi_region_trail",
	"aws_resources_missing_owner_tag",
}

func newDemoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Sync a built-in demo estate into ./stance-demo.duckdb and show what it found",
		Long: `Sync a built-in AWS estate of three accounts (prod, dev, security) into
./stance-demo.duckdb, or the file that --db names, and show what it found.
The estate is served to the real AWS SDK clients inside the process: no
network, no credentials. STANCE_DB is ignored so that the demo never writes
into your own database; an existing demo database is replaced.

It also syncs an Azure tenant of two subscriptions, which an Azure
emulator serves over HTTPS on 127.0.0.1 inside the process, and runs the
CIS Azure Foundations benchmark over it.

The demo ends with a simulated incident: a deployment pipeline makes a
prod bucket public. stance syncs the changed estate, runs the benchmark
again, and prints the resource drift and the findings drift between the
two syncs. The first sync is dated one hour before the present and the
incident sync at the present, so that 'stance drift' and 'stance drift
--findings' show the incident afterwards.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := demoDB
			if cmd.Flags().Changed("db") {
				path = g.dbPath
			}
			return runDemo(cmd.Context(), g, path)
		},
	}
}

func runDemo(ctx context.Context, g *globals, path string) error {
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("replace the demo database: %w", err)
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()

	fsys, root := demo.World()
	p, err := syncaws.NewOfflineFS(fsys, root, "demo")
	if err != nil {
		return fmt.Errorf("open the demo world: %w", err)
	}
	w := g.stdout
	firstSync, incidentSync := demoClock(time.Now())
	fmt.Fprintf(w, "stance demo: syncing a built-in AWS estate (accounts prod %s, dev %s, security %s) into %s,\n",
		demo.ProdAccountID, demo.DevAccountID, demo.SecurityAccountID, path)
	fmt.Fprintf(w, "dated %s so that an incident can be synced at the end, as of now\n\n", firstSync.Format(time.RFC3339))

	azure, err := syncAzureDemo(ctx, g, st, firstSync.Add(-demoAzureLead))
	if err != nil {
		return err
	}
	gcpRes, err := importDemoGCP(ctx, g, st, firstSync.Add(-time.Minute))
	if err != nil {
		return err
	}
	opts := sync.Options{Logger: quietLogger(g), Now: func() time.Time { return firstSync }}
	res, err := sync.Run(ctx, st, p, opts)
	if err != nil {
		return err
	}
	printSyncSummary(w, "", res)
	if res.Summary.Status == store.RunCancelled {
		return &exitError{code: ExitInterrupted, err: errors.New("demo interrupted")}
	}

	if err := printTableCounts(ctx, w, st, res.RunID); err != nil {
		return err
	}
	if err := printDemoQueries(ctx, w, st); err != nil {
		return err
	}
	if err := printDemoCheck(ctx, g, w, st, firstSync); err != nil {
		return err
	}
	if err := printAzureDemo(ctx, g, w, st, azure); err != nil {
		return err
	}
	if err := printDemoGCP(ctx, g, w, st, gcpRes, firstSync); err != nil {
		return err
	}
	if err := runDemoIncident(ctx, g, w, st, firstSync, incidentSync); err != nil {
		return err
	}
	printNextSteps(w, path)
	return nil
}

func printTableCounts(ctx context.Context, w io.Writer, st *store.Store, runID int64) error {
	rows, err := st.DB().QueryContext(ctx, `SELECT table_name,
			sum(rows_fetched) AS resources,
			count(DISTINCT account_id) FILTER (WHERE status = 'ok') AS accounts,
			count(*) FILTER (WHERE status <> 'ok') AS partitions_not_read
		FROM stance_sync_partition WHERE run_id = ?
		GROUP BY table_name ORDER BY table_name`, runID)
	if err != nil {
		return fmt.Errorf("count resources per table: %w", err)
	}
	defer rows.Close()
	res, err := scanAll(rows)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nResources found per table:")
	return render.Write(w, "table", res, render.Options{})
}

func printDemoQueries(ctx context.Context, w io.Writer, st *store.Store) error {
	fmt.Fprintln(w, "\nWhat the estate shows (rows of each named query; see them with stance query --named NAME):")
	for _, name := range demoQueries {
		q, err := queries.Lookup(name)
		if err != nil {
			return err
		}
		res, err := runQuery(ctx, st, q.SQL, time.Time{})
		if err != nil {
			return fmt.Errorf("named query %s: %w", name, err)
		}
		fmt.Fprintf(w, "  %3d  %s (%s)\n", len(res.Rows), q.Title, q.Name)
	}
	return nil
}

// demoBenchmark is the benchmark the demo runs over its estate.
const demoBenchmark = "cis_aws@6.0.0"

// printDemoCheck runs the CIS benchmark over the demo estate, evaluated at
// the time at, and prints the findings worst first, with the command that
// fixes each.
func printDemoCheck(ctx context.Context, g *globals, w io.Writer, st *store.Store, at time.Time) error {
	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		return err
	}
	b, err := p.Benchmark(demoBenchmark)
	if err != nil {
		return err
	}
	opts := benchmarks.Options{Logger: quietLogger(g), Now: func() time.Time { return at }}
	run, err := benchmarks.Execute(ctx, st, p, b, nil, benchmarks.Filters{}, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nFindings of %s (stance check %s), worst first:\n\n", b.Title, demoBenchmark)
	return report.Write(w, "table", run, report.Options{MaxRows: 3, Color: isTerminal(w), Version: Version})
}

func printNextSteps(w io.Writer, path string) {
	// Under 'go run' the binary lives in a temporary build folder and no
	// 'stance' is on the PATH: print commands that work as they are.
	self := "stance"
	if exe, err := os.Executable(); err == nil && strings.Contains(exe, "go-build") {
		self = "go run ./cmd/stance"
	}
	db := "--db " + path
	if !strings.ContainsRune(path, os.PathSeparator) {
		db = "--db ./" + path
	}
	steps := []string{
		"tables",
		"queries",
		"check " + db + " --severity high",
		"findings " + db + " --sort age",
		"drift " + db + "                      # the incident, field by field",
		"drift " + db + " --findings           # the finding it caused",
		"history " + db + " " + demo.IncidentBucket,
		"query " + db + ` "SELECT account_id, region, name, policy_status_is_public FROM aws_s3_bucket"`,
		"query " + db + " --named aws_sync_blind_spots",
		"query " + db + ` --format json "SELECT * FROM aws_lambda_function"   # environment values are redacted`,
	}
	fmt.Fprintln(w, "\nNext, try:")
	for _, s := range steps {
		fmt.Fprintln(w, "  "+self+" "+s)
	}
}
