package cli

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/internal/errtext"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
	"github.com/stance-cspm/stance/tables"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

type syncFlags struct {
	tables      []string
	concurrency int
	noProgress  bool
}

func newSyncCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync PROVIDER",
		Short: "Read a cloud estate into the database, keeping history",
		Long: `Read every table of a provider in every account and region into the
database. Unchanged resources add nothing; a changed resource adds a
version. Partitions (account x region x table) that cannot be read are
recorded as blind spots or failures and keep their last known rows.

Exit status: 0 when every partition was read, 3 when some were not,
4 when none was, 130 when interrupted.`,
	}
	cmd.AddCommand(newSyncAWSCmd(g))
	cmd.AddCommand(newSyncAzureCmd(g))
	cmd.AddCommand(newSyncGCPCmd(g))
	return cmd
}

func newSyncAWSCmd(g *globals) *cobra.Command {
	var sf syncFlags
	var opts syncaws.Options
	var fromDir string
	cmd := &cobra.Command{
		Use:   "aws",
		Short: "Read AWS accounts with the SDK's credentials, or a folder of AWS CLI outputs",
		Long: `Read AWS accounts with the SDK's credential chain (environment, profiles,
SSO, web identity, instance roles), or a folder of AWS CLI JSON outputs
with --from-dir. Only read APIs are called.

Exit status: 0 when every partition was read, 3 when some were not,
4 when none was, 130 when interrupted.`,
		Example: `  stance sync aws --profile audit --regions eu-west-1,us-east-1
  stance sync aws --accounts 111122223333,444455556666 --role-name SecurityAudit
  stance sync aws --org --role-name OrganizationAccountAccessRole
  stance sync aws --from-dir ./account-data/prod`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opts.Logger = g.log
			if _, err := selectTables(awstables.Provider, sf.tables); err != nil {
				return err
			}
			var p sync.Provider
			if fromDir != "" {
				if opts.Profile != "" || len(opts.Accounts) > 0 || opts.Org {
					return fmt.Errorf("--from-dir reads files only: drop --profile, --accounts and --org")
				}
				off, err := syncaws.NewOffline(fromDir, opts.Regions)
				if err != nil {
					return err
				}
				p = off
			} else {
				live, err := syncaws.NewLive(ctx, opts)
				if err != nil {
					return err
				}
				p = live
			}
			return g.runSync(ctx, p, sf)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Profile, "profile", "", "AWS shared config profile (default: the SDK's credential chain)")
	f.StringSliceVar(&opts.Regions, "regions", nil, "regions to read, comma-separated (default: every region enabled for each account)")
	f.StringSliceVar(&opts.Accounts, "accounts", nil, "account ids to read by assuming --role-name in each")
	f.StringVar(&opts.RoleName, "role-name", "", "role to assume in each account of --accounts or --org")
	f.StringVar(&opts.ExternalID, "external-id", "", "external id to pass when assuming --role-name")
	f.BoolVar(&opts.Org, "org", false, "read every active account of the AWS Organization (needs --role-name)")
	f.IntVar(&opts.MaxAttempts, "max-attempts", 10, "attempts per API call before a throttled or failing call gives up")
	f.StringVar(&fromDir, "from-dir", "", "read a folder of AWS CLI JSON outputs (CloudMapper layout) instead of calling AWS")
	addSyncFlags(cmd, &sf)
	return cmd
}

func addSyncFlags(cmd *cobra.Command, sf *syncFlags) {
	f := cmd.Flags()
	f.StringSliceVar(&sf.tables, "tables", nil, "tables to read, as names or glob patterns such as 'aws_iam_*' (default: all)")
	f.IntVar(&sf.concurrency, "concurrency", 16, "partitions read at once")
	f.BoolVar(&sf.noProgress, "no-progress", false, "log lines instead of a progress bar on a terminal")
}

// selectTables returns the provider's tables matching the patterns.
func selectTables(provider string, patterns []string) ([]*tables.Table, error) {
	all := tables.ByProvider(provider)
	if len(patterns) == 0 {
		return all, nil
	}
	var out []*tables.Table
	for _, pat := range patterns {
		matched := false
		for _, t := range all {
			ok, err := path.Match(pat, t.Name)
			if err != nil {
				return nil, fmt.Errorf("invalid --tables pattern %q: %w", pat, err)
			}
			if ok {
				out = append(out, t)
				matched = true
			}
		}
		if !matched {
			return nil, fmt.Errorf("--tables %q matches no %s table: run 'stance tables' for the list", pat, provider)
		}
	}
	return out, nil
}

func (g *globals) runSync(ctx context.Context, p sync.Provider, sf syncFlags) error {
	tbls, err := selectTables(p.Name(), sf.tables)
	if err != nil {
		return err
	}
	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()

	opts := sync.Options{Tables: tbls, Concurrency: sf.concurrency, Logger: g.log}
	var bar *progressbar.ProgressBar
	if isTerminal(g.stderr) && !sf.noProgress {
		// Log lines would tear the progress bar; the summary lists every
		// partition that was not read.
		opts.Progress = progressReporter(g.stderr, &bar)
		opts.Logger = quietLogger(g)
	}
	res, err := sync.Run(ctx, st, p, opts)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(g.stderr)
	}
	if res != nil {
		printSyncSummary(g.stdout, st.Path(), res)
	}
	if err != nil {
		return err
	}
	switch res.Summary.Status {
	case store.RunOK:
		return nil
	case store.RunCancelled:
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("sync interrupted: partitions that completed are saved, the rest keep their previous rows")}
	case store.RunFailed:
		return &exitError{code: ExitNothing, err: fmt.Errorf("no partition could be read: see the errors above")}
	default:
		return &exitError{code: ExitPartial, err: fmt.Errorf("%d of %d partitions were not read: see the list above",
			res.Summary.PartitionsFailed+res.Summary.PartitionsBlindSpot, res.Summary.PartitionsTotal)}
	}
}

func progressReporter(w io.Writer, bar **progressbar.ProgressBar) func(done, total int, rec store.PartitionRecord) {
	var rows int64
	var problems int
	return func(done, total int, rec store.PartitionRecord) {
		if *bar == nil {
			*bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("syncing"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100_000_000),
				progressbar.OptionClearOnFinish(),
			)
		}
		rows += rec.Rows
		if rec.Status != store.StatusOK {
			problems++
		}
		(*bar).Describe(fmt.Sprintf("partitions · %d resources · %d not read", rows, problems))
		(*bar).Set(done)
	}
}

func printSyncSummary(w io.Writer, dbPath string, res *sync.Result) {
	s := res.Summary
	fmt.Fprintf(w, "sync run %d: %s\n", res.RunID, s.Status)
	fmt.Fprintf(w, "  partitions: %d read, %d blind spots, %d failed, of %d\n", s.PartitionsOK, s.PartitionsBlindSpot, s.PartitionsFailed, s.PartitionsTotal)
	fmt.Fprintf(w, "  resources:  %d fetched, %d new versions, %d versions closed\n", s.RowsFetched, s.VersionsAdded, s.VersionsClosed)
	if dbPath != "" {
		fmt.Fprintf(w, "  database:   %s\n", dbPath)
	}
	failed := res.Failed()
	if len(failed) == 0 {
		return
	}
	fmt.Fprintln(w, "  not read:")
	const maxListed = 25
	for i, grp := range groupFailures(failed) {
		if i == maxListed {
			fmt.Fprintf(w, "    ... and more: SELECT * FROM stance_sync_partition WHERE run_id = %d AND status <> 'ok'\n", res.RunID)
			break
		}
		msg := errtext.Short(grp.first.Error)
		if len(msg) > 240 {
			msg = msg[:237] + "..."
		}
		what := grp.first.Table
		if len(grp.tables) > 1 {
			what = fmt.Sprintf("%d tables", len(grp.tables))
		}
		fmt.Fprintf(w, "    %-10s %s/%s %s: %s: %s\n", grp.first.Status, grp.first.AccountID, grp.first.Region, what, grp.first.ErrorCode, oneLine(msg))
	}
}

// failureGroup is the partitions of one account and region that failed
// with the same status and error code, such as a whole region denied.
type failureGroup struct {
	first  store.PartitionRecord
	tables []string
}

func groupFailures(recs []store.PartitionRecord) []*failureGroup {
	var out []*failureGroup
	index := map[string]*failureGroup{}
	for _, r := range recs {
		key := r.AccountID + "|" + r.Region + "|" + r.Status + "|" + r.ErrorCode
		if r.ErrorCode == "NotCollected" {
			// Each table misses its own file: list them one by one.
			key += "|" + r.Table
		}
		g, ok := index[key]
		if !ok {
			g = &failureGroup{first: r}
			index[key] = g
			out = append(out, g)
		}
		g.tables = append(g.tables, r.Table)
	}
	return out
}

func oneLine(s string) string { return render.Sanitize(strings.Join(strings.Fields(s), " ")) }
