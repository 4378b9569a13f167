package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/report"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/timeparse"
)

// ExitFindings is the exit status of 'stance check --fail-on' when a
// failing, unsuppressed result at or above that severity exists.
const ExitFindings = 2

// defaultFamily is the benchmark family that 'stance check' runs without
// arguments: the latest version of the family's benchmark for each provider
// with synced data, such as cis_aws and cis_gcp.
const defaultFamily = "cis"

// fallbackBenchmark is the benchmark that 'stance check' runs without
// arguments on a database without synced data, so that the report still
// lists the requirements.
const fallbackBenchmark = "cis_aws"

// multiReportFormats are the formats that can hold the reports of several
// benchmarks one after another in one output.
var multiReportFormats = []string{"table", "markdown"}

type checkFlags struct {
	list        bool
	accounts    []string
	regions     []string
	severity    string
	sections    []string
	at          string
	format      string
	output      string
	failOn      string
	packDirs    []string
	concurrency int
	includePass bool
}

func newCheckCmd(g *globals) *cobra.Command {
	var cf checkFlags
	cmd := &cobra.Command{
		Use:   "check [BENCHMARK[@VERSION] | CONTROL ...]",
		Short: "Run a security benchmark or controls over the synced estate",
		Long: `Run the controls of a benchmark version or the named controls, store
every result, and update the findings: a failing resource opens a finding,
a fixed one resolves it, a finding that fails again is reopened.
Partitions the last sync could not read are reported as not evaluated,
never as passing.

Without arguments, check runs the latest CIS benchmark of every provider
that has synced data in the database (cis_aws, cis_gcp, ...), one report
after another; with no synced data at all it runs the latest cis_aws.

Packs: the built-in packs, the folder $XDG_CONFIG_HOME/stance/packs when
it exists, and every --pack-dir.`,
		Example: `  stance check
  stance check cis_gcp@4.0.0
  stance check cis_aws@3.0.0 --section 2.1 --format markdown
  stance check aws_ec2_instance_imdsv2_required --account 111122223333
  stance check cis_aws@6.0.0 --fail-on high --format junit --output cis.xml
  stance check --list`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadPacks(cf.packDirs)
			if err != nil {
				return err
			}
			if cf.list {
				return listPacks(g.stdout, p, cf.format)
			}
			return g.runCheck(cmd.Context(), p, args, cf)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&cf.list, "list", false, "list benchmarks, versions and controls")
	f.StringSliceVar(&cf.accounts, "account", nil, "only these account ids")
	f.StringSliceVar(&cf.regions, "region", nil, "only these regions (global resources are always included)")
	f.StringVar(&cf.severity, "severity", "", "only controls at or above this severity: "+strings.Join(benchmarks.Severities, ", "))
	f.StringSliceVar(&cf.sections, "section", nil, "only requirements in these sections or with these id prefixes, such as 2.1")
	f.StringVar(&cf.at, "at", "", "evaluate the estate as it was at this moment (results are stored; findings do not change)")
	f.StringVarP(&cf.format, "format", "f", "table", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&cf.output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&cf.failOn, "fail-on", "", "exit with status 2 when a failing unsuppressed result at or above this severity exists")
	f.StringSliceVar(&cf.packDirs, "pack-dir", nil, "folder with more controls and benchmarks (repeatable)")
	f.IntVar(&cf.concurrency, "concurrency", 4, "controls run at once")
	f.BoolVar(&cf.includePass, "include-pass", false, "store every passing result and list it in the json, csv and ocsf formats (without it, passes are only counted per control)")
	return cmd
}

// packDir is a pack folder on disk that names itself in error messages.
type packDir struct {
	fs.FS
	root string
}

func (d packDir) Root() string { return d.root }

// loadPacks loads the built-in packs, the user's default pack folder when
// it exists, and the given folders.
func loadPacks(dirs []string) (*benchmarks.Pack, error) {
	sources := []fs.FS{benchmarks.Builtin()}
	if def := defaultPackDir(); def != "" {
		if info, err := os.Stat(def); err == nil && info.IsDir() {
			dirs = append([]string{def}, dirs...)
		}
	}
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("pack folder: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("pack folder %s is not a folder", d)
		}
		sources = append(sources, packDir{FS: os.DirFS(d), root: d})
	}
	return benchmarks.Load(sources...)
}

func defaultPackDir() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "stance", "packs")
}

func (g *globals) runCheck(ctx context.Context, p *benchmarks.Pack, args []string, cf checkFlags) error {
	if cf.severity != "" && benchmarks.SeverityRank(cf.severity) < 0 {
		return fmt.Errorf("invalid --severity %q: use one of %s", cf.severity, strings.Join(benchmarks.Severities, ", "))
	}
	if cf.failOn != "" && benchmarks.SeverityRank(cf.failOn) < 0 {
		return fmt.Errorf("invalid --fail-on %q: use one of %s", cf.failOn, strings.Join(benchmarks.Severities, ", "))
	}
	if !contains(report.Formats, cf.format) {
		return fmt.Errorf("invalid --format %q: use one of %s", cf.format, strings.Join(report.Formats, ", "))
	}
	var at time.Time
	if cf.at != "" {
		var err error
		if at, err = timeparse.Parse(cf.at, time.Now()); err != nil {
			return fmt.Errorf("--at: %w", err)
		}
	}
	var jobs []checkJob
	if len(args) > 0 {
		var err error
		if jobs, err = namedJobs(p, args); err != nil {
			return err
		}
	}

	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(args) == 0 {
		if jobs, err = defaultJobs(ctx, st, p, g.log); err != nil {
			return err
		}
		if len(jobs) > 1 && !contains(multiReportFormats, cf.format) {
			return fmt.Errorf("invalid --format %s without a benchmark: the database contains data of several providers, so 'stance check' runs %s, and this format takes one benchmark per report: name one benchmark, such as 'stance check %s', or use --format %s",
				cf.format, jobNames(jobs), jobs[0].bench.Name, strings.Join(multiReportFormats, " or "))
		}
	}

	out := g.stdout
	if cf.output != "" {
		f, err := os.OpenFile(cf.output, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("open report file: %w", err)
		}
		defer f.Close()
		out = f
	}
	filters := benchmarks.Filters{Accounts: cf.accounts, Regions: cf.regions, MinSeverity: cf.severity, Sections: cf.sections}
	if err := validateCheckFilters(ctx, st, p, jobs, filters); err != nil {
		return err
	}
	var runs []*benchmarks.Run
	for i, job := range jobs {
		// Passing results are counted, and stored and listed one by one only
		// with --include-pass: over a large estate they are most of the rows.
		load := benchmarks.LoadNotPassed
		if cf.includePass {
			load = benchmarks.LoadAll
		}
		run, err := benchmarks.Execute(ctx, st, p, job.bench, job.controls, filters, benchmarks.Options{
			At: at, Concurrency: cf.concurrency, Logger: g.log, Passes: cf.includePass, Load: load})
		if err != nil {
			return err
		}
		runs = append(runs, run)
		if i > 0 {
			fmt.Fprintln(out)
		}
		opts := report.Options{Color: cf.output == "" && isTerminal(g.stdout), IncludePass: cf.includePass, Version: Version}
		if err := report.Write(out, cf.format, run, opts); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	if cf.failOn != "" {
		return failOnGate(runs, cf.failOn)
	}
	return nil
}

// checkJob is one run of 'stance check': a benchmark version, or the
// controls named on the command line.
type checkJob struct {
	bench    *benchmarks.Benchmark
	controls []*benchmarks.Control
}

// namedJobs resolves the command-line arguments: one benchmark, or any
// number of controls.
func namedJobs(p *benchmarks.Pack, args []string) ([]checkJob, error) {
	var bench *benchmarks.Benchmark
	var controls []*benchmarks.Control
	for _, a := range args {
		if c, ok := p.Controls[a]; ok {
			controls = append(controls, c)
			continue
		}
		b, err := p.Benchmark(a)
		if err != nil {
			return nil, err
		}
		if bench != nil || len(args) > 1 {
			return nil, fmt.Errorf("run one benchmark at a time, or only controls: got %s", strings.Join(args, " "))
		}
		bench = b
	}
	return []checkJob{{bench: bench, controls: controls}}, nil
}

// defaultJobs returns the latest CIS benchmark of each provider that has
// synced data, in provider order, or the fallback benchmark when no
// provider has.
func defaultJobs(ctx context.Context, st *store.Store, p *benchmarks.Pack, log *slog.Logger) ([]checkJob, error) {
	providers, err := syncedProviders(ctx, st)
	if err != nil {
		return nil, err
	}
	var jobs []checkJob
	for _, provider := range providers {
		b := latestBenchmark(p, defaultFamily, provider)
		if b == nil {
			// NOTE: a synced provider without a CIS pack is left out with a
			// warning instead of failing the whole check.
			log.Warn("no CIS benchmark for a synced provider; name a benchmark or control to check it", "provider", provider)
			continue
		}
		jobs = append(jobs, checkJob{bench: b})
	}
	if len(jobs) > 0 {
		return jobs, nil
	}
	b, err := p.Benchmark(fallbackBenchmark)
	if err != nil {
		return nil, err
	}
	return []checkJob{{bench: b}}, nil
}

// syncedProviders returns the providers of which at least one partition
// was read completely, sorted by name.
func syncedProviders(ctx context.Context, st *store.Store) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, `SELECT DISTINCT provider FROM stance_sync_partition
		WHERE status = ? ORDER BY provider`, store.StatusOK)
	if err != nil {
		return nil, fmt.Errorf("list the providers with synced data: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var provider string
		if err := rows.Scan(&provider); err != nil {
			return nil, fmt.Errorf("list the providers with synced data: %w", err)
		}
		out = append(out, provider)
	}
	return out, rows.Err()
}

// latestBenchmark returns the latest version of the benchmark named
// <family>_<provider> whose manifest names that provider, or nil.
func latestBenchmark(p *benchmarks.Pack, family, provider string) *benchmarks.Benchmark {
	var latest *benchmarks.Benchmark
	for _, b := range p.Benchmarks {
		// Pack.Benchmarks is sorted by name, then by version, so the last
		// match is the latest version.
		if b.Name == family+"_"+provider && b.Provider == provider {
			latest = b
		}
	}
	return latest
}

func jobNames(jobs []checkJob) string {
	var names []string
	for _, j := range jobs {
		names = append(names, j.bench.Ref())
	}
	return strings.Join(names, " and ")
}

// failOnGate returns an exit error when a run has a failing, unsuppressed
// result at or above the severity, or a control that could not run.
func failOnGate(runs []*benchmarks.Run, severity string) error {
	n := 0
	var broken []string
	for _, run := range runs {
		n += failingAtOrAbove(run, severity)
		for _, o := range run.Outcomes {
			if o.Err != nil {
				broken = append(broken, o.Control.ID+" ("+o.Control.Source+")")
			}
		}
	}
	if n > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d failing result(s) at or above %s severity", n, severity)}
	}
	// A control that could not run has not passed: a gate must not open
	// on it.
	if len(broken) > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d control(s) failed to run: %s", len(broken), strings.Join(broken, ", "))}
	}
	return nil
}

func failingAtOrAbove(run *benchmarks.Run, severity string) int {
	limit := benchmarks.SeverityRank(severity)
	n := 0
	for _, o := range run.Outcomes {
		// Every result of a control carries the control's severity.
		if benchmarks.SeverityRank(o.Control.Severity) <= limit {
			n += o.Counts[benchmarks.StatusFail] - o.Suppressed
		}
	}
	return n
}

func listPacks(w io.Writer, p *benchmarks.Pack, format string) error {
	if format == "" || !contains(render.Formats, format) {
		format = "table"
	}
	bres := render.Result{Columns: []string{"benchmark", "revision", "title", "automated", "manual", "source"}}
	usedBy := map[string][]string{}
	for _, b := range p.Benchmarks {
		auto, manual := 0, 0
		for _, r := range b.Requirements {
			if r.Assessment == "manual" {
				manual++
				continue
			}
			auto++
			for _, id := range r.Controls {
				usedBy[id] = appendUnique(usedBy[id], b.Ref())
			}
		}
		bres.Rows = append(bres.Rows, []any{b.Ref(), int64(b.Revision), b.Title, int64(auto), int64(manual), b.Source})
	}
	fmt.Fprintln(w, "Benchmarks:")
	if err := render.Write(w, format, bres, render.Options{MaxWidth: 60}); err != nil {
		return err
	}
	cres := render.Result{Columns: []string{"control", "severity", "title", "used_by"}}
	for _, id := range sortedKeys(p.Controls) {
		c := p.Controls[id]
		cres.Rows = append(cres.Rows, []any{c.ID, c.Severity, c.Title, strings.Join(usedBy[id], " ")})
	}
	fmt.Fprintln(w, "\nControls:")
	return render.Write(w, format, cres, render.Options{MaxWidth: 60})
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
