package cli

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/drift"
	"github.com/stance-cspm/stance/internal/timeparse"
)

func newDriftCmd(g *globals) *cobra.Command {
	var from, to, baseline, format, benchmark string
	var findings bool
	var f drift.Filter
	var tags []string
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Show resources added, removed and changed between two moments, field by field",
		Long: `Compare the estate at two moments and list the resources added, removed
and changed. A changed resource shows each changed field as a JSON path
with its old and new value. Fields that move on every read, such as the
last use of an access key, are left out; each table lists them. A field
under raw (the API object) that repeats the change of a modelled column,
such as raw.PolicyStatus.IsPublic next to policy_status_is_public, is
hidden unless --show-raw is given; changes under raw that no column
models are always shown.

By default drift compares the previous sync with the latest one. With
--baseline it compares a named baseline (see 'stance baseline') with
--to, which defaults to the latest sync. The same rows are available in
SQL as stance_changes(from, to).

With --findings it compares check runs instead, for each benchmark on
its own: the benchmark's latest run at or before --to and its latest
earlier run of the same version at or before --from. It lists, per
benchmark, the findings that appeared, were resolved or reopened, each
with the change of its resource between the two runs. --benchmark picks
one benchmark and --provider the benchmarks of those providers. In the
json format the output is an array with one report per benchmark.`,
		Example: `  stance drift
  stance drift --from 7d --table aws_vpc_security_group_rule
  stance drift --baseline known-good --account 111122223333 --format csv
  stance drift --findings
  stance drift --findings --benchmark cis_aws@6.0.0 --from 7d`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var err error
			if f.Tags, err = parseTags(tags); err != nil {
				return err
			}
			if findings && baseline != "" {
				return fmt.Errorf("--findings compares check runs: drop --baseline and use --from")
			}
			if findings {
				// These flags narrow resource changes, which --findings
				// does not list, so accepting them would filter nothing.
				for _, name := range []string{"account", "region", "table", "tag", "show-raw"} {
					if cmd.Flags().Changed(name) {
						return fmt.Errorf("--%s applies to resource drift, not to --findings: drop it, or use --provider or --benchmark", name)
					}
				}
			}
			if benchmark != "" && !findings {
				return fmt.Errorf("--benchmark picks the check runs of --findings: add --findings")
			}
			if baseline != "" && from != "" {
				return fmt.Errorf("--baseline sets the start of the comparison: drop --from")
			}
			st, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if findings {
				return runFindingsDrift(cmd, g, st.DB(), findingsOptions{from: from, to: to, format: format, benchmark: benchmark, providers: f.Providers})
			}

			previous, latest, err := drift.LastSyncs(ctx, st.DB())
			if err != nil {
				return err
			}
			now := time.Now()
			start, end := previous, latest
			switch {
			case baseline != "":
				if start, err = drift.LookupBaseline(ctx, st.DB(), baseline); err != nil {
					return err
				}
			case from != "":
				if start, err = timeparse.Parse(from, now); err != nil {
					return fmt.Errorf("--from: %w", err)
				}
			}
			if to != "" {
				if end, err = timeparse.Parse(to, now); err != nil {
					return fmt.Errorf("--to: %w", err)
				}
			}
			if end.Before(start) {
				return fmt.Errorf("--to %s is before the start %s: swap them", end.Format(time.RFC3339), start.Format(time.RFC3339))
			}
			changes, err := drift.Changes(ctx, st.DB(), start, end, f)
			if err != nil {
				return err
			}
			return drift.Write(g.stdout, format, drift.Report{From: start, To: end, Changes: changes})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "start moment: RFC 3339, a date, or an age such as 3d (default: the previous sync)")
	fl.StringVar(&to, "to", "", "end moment, in the same forms as --from (default: the latest sync)")
	fl.StringVar(&baseline, "baseline", "", "start at this named baseline instead of --from")
	fl.StringSliceVar(&f.Providers, "provider", nil, "only these providers, such as aws (repeat or separate with commas)")
	fl.StringSliceVar(&f.Accounts, "account", nil, "only these accounts")
	fl.StringSliceVar(&f.Regions, "region", nil, "only these regions, such as us-east-1 or global")
	fl.StringSliceVar(&f.Tables, "table", nil, "only these tables, such as aws_s3_bucket")
	fl.StringArrayVar(&tags, "tag", nil, "only resources with this tag, as key=value (repeat to require several)")
	fl.BoolVar(&f.KeepRawMirrors, "show-raw", false, "also list the fields under raw that repeat a change of a modelled column")
	fl.BoolVar(&findings, "findings", false, "compare findings of the check runs at --from and --to (default: the two latest runs), with the resource change behind each")
	fl.StringVar(&benchmark, "benchmark", "", "with --findings, compare only this benchmark, as NAME or NAME@VERSION, such as cis_aws@6.0.0 (default: each benchmark)")
	fl.StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(drift.Formats, ", "))
	return cmd
}

// parseTags reads --tag values of the form key=value.
func parseTags(values []string) (map[string]string, error) {
	if len(values) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, v := range values {
		k, val, ok := strings.Cut(v, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid --tag %q: use key=value, such as owner=payments-team", v)
		}
		out[k] = val
	}
	return out, nil
}

// findingsOptions are the flags of drift --findings.
type findingsOptions struct {
	from, to, format string
	// benchmark is NAME or NAME@VERSION, empty for every benchmark.
	benchmark string
	providers []string
}

// runFindingsDrift prints, for each selected benchmark, the findings drift
// between its check runs at from and to, given as in --at; empty means no
// bound.
func runFindingsDrift(cmd *cobra.Command, g *globals, q drift.Querier, o findingsOptions) error {
	ctx := cmd.Context()
	now := time.Now()
	var start, end time.Time
	var err error
	if o.from != "" {
		if start, err = timeparse.Parse(o.from, now); err != nil {
			return fmt.Errorf("--from: %w", err)
		}
	}
	if o.to != "" {
		if end, err = timeparse.Parse(o.to, now); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	sel, err := findingsSelector(o.benchmark, o.providers)
	if err != nil {
		return err
	}
	pairs, err := drift.CheckRunPairs(ctx, q, start, end, sel)
	if err != nil {
		return err
	}
	reports := make([]drift.FindingsReport, 0, len(pairs))
	for _, p := range pairs {
		changes, err := drift.FindingChanges(ctx, q, p.Older, p.Newer)
		if err != nil {
			return err
		}
		reports = append(reports, drift.FindingsReport{From: p.Older, To: p.Newer, Changes: changes})
	}
	return drift.WriteFindingsReports(g.stdout, o.format, reports)
}

// findingsSelector turns --benchmark and --provider into a run selector.
// A provider is valid when a loaded benchmark names it, and it selects
// the benchmarks that name it.
func findingsSelector(benchmark string, providers []string) (drift.RunSelector, error) {
	var sel drift.RunSelector
	sel.Benchmark, sel.Version, _ = strings.Cut(benchmark, "@")
	if benchmark != "" && (sel.Benchmark == "" || strings.HasSuffix(benchmark, "@")) {
		return sel, fmt.Errorf("invalid --benchmark %q: use NAME or NAME@VERSION, such as cis_aws@6.0.0", benchmark)
	}
	if len(providers) == 0 {
		return sel, nil
	}

	p, err := loadPacks(nil)
	if err != nil {
		return sel, err
	}
	byProvider := map[string][]string{}
	for _, b := range p.Benchmarks {
		if b.Provider == "" {
			continue
		}
		byProvider[b.Provider] = append(byProvider[b.Provider], b.Name)
	}

	sel.Benchmarks = []string{}
	for _, provider := range providers {
		names, ok := byProvider[provider]
		if !ok {
			valid := slices.Sorted(maps.Keys(byProvider))
			return sel, fmt.Errorf("invalid --provider %q: no benchmark covers it; use one of %s", provider, strings.Join(valid, ", "))
		}
		sel.Benchmarks = append(sel.Benchmarks, names...)
	}

	if sel.Benchmark != "" && !slices.Contains(sel.Benchmarks, sel.Benchmark) {
		return sel, fmt.Errorf("--benchmark %s is not a benchmark of --provider %s: drop one of them", sel.Benchmark, strings.Join(providers, ","))
	}
	return sel, nil
}
