package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/report"
	"github.com/stance-cspm/stance/internal/timeparse"
)

// ExitFindings is the exit status of 'stance check --fail-on' when a
// failing, unsuppressed result at or above that severity exists.
const ExitFindings = 2

// defaultBenchmark is the benchmark that 'stance check' runs without arguments.
const defaultBenchmark = "cis_aws"

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
		Long: `Run the controls of a benchmark version (default: the latest cis_aws) or
the named controls, store every result, and update the findings: a
failing resource opens a finding, a fixed one resolves it, a finding that
fails again is reopened. Partitions the last sync could not read are
reported as not evaluated, never as passing.

Packs: the built-in packs, the folder $XDG_CONFIG_HOME/stance/packs when
it exists, and every --pack-dir.`,
		Example: `  stance check
  stance check cis_aws@3.0.0 --section 2.1 --format markdown
  stance check aws_ec2_instance_imdsv2_required --account 111122223333
  stance check --fail-on high --format junit --output cis.xml
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
	f.BoolVar(&cf.includePass, "include-pass", false, "also list passing results (ocsf format)")
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
	if len(args) == 0 {
		args = []string{defaultBenchmark}
	}

	var bench *benchmarks.Benchmark
	var controls []*benchmarks.Control
	for _, a := range args {
		if c, ok := p.Controls[a]; ok {
			controls = append(controls, c)
			continue
		}
		b, err := p.Benchmark(a)
		if err != nil {
			return err
		}
		if bench != nil || len(args) > 1 {
			return fmt.Errorf("run one benchmark at a time, or only controls: got %s", strings.Join(args, " "))
		}
		bench = b
	}

	st, err := g.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	filters := benchmarks.Filters{Accounts: cf.accounts, Regions: cf.regions, MinSeverity: cf.severity, Sections: cf.sections}
	run, err := benchmarks.Execute(ctx, st, p, bench, controls, filters, benchmarks.Options{At: at, Concurrency: cf.concurrency, Logger: g.log})
	if err != nil {
		return err
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
	opts := report.Options{Color: cf.output == "" && isTerminal(g.stdout), IncludePass: cf.includePass, Version: Version}
	if err := report.Write(out, cf.format, run, opts); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if cf.failOn != "" {
		if n := failingAtOrAbove(run, cf.failOn); n > 0 {
			return &exitError{code: ExitFindings, err: fmt.Errorf("%d failing result(s) at or above %s severity", n, cf.failOn)}
		}
		// A control that could not run has not passed: a gate must not
		// open on it.
		var broken []string
		for _, o := range run.Outcomes {
			if o.Err != nil {
				broken = append(broken, o.Control.ID+" ("+o.Control.Source+")")
			}
		}
		if len(broken) > 0 {
			return &exitError{code: ExitFindings, err: fmt.Errorf("%d control(s) failed to run: %s", len(broken), strings.Join(broken, ", "))}
		}
	}
	return nil
}

func failingAtOrAbove(run *benchmarks.Run, severity string) int {
	limit := benchmarks.SeverityRank(severity)
	n := 0
	for _, o := range run.Outcomes {
		for _, r := range o.Results {
			if r.Status == benchmarks.StatusFail && !r.Suppressed && benchmarks.SeverityRank(r.Severity) <= limit {
				n++
			}
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
