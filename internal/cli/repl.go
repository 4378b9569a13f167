package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/timeparse"
	"github.com/stance-cspm/stance/repl"
)

func newReplCmd(g *globals) *cobra.Command {
	var at, mode string
	cmd := &cobra.Command{
		Use:   "repl",
		Short: "Open an interactive SQL shell over the estate",
		Long: `Open an interactive SQL shell over the database, read-only. A statement
runs when a line ends with ';' and may span lines. Tab completes tables,
columns (also through aliases), keywords, functions, dot-commands and
control ids; Ctrl-R searches the history, which is kept in
$XDG_STATE_HOME/stance/history. Ctrl-C cancels the running query, Ctrl-D
leaves. Type .help for the dot-commands, such as .at 3d for time travel.

With standard input that is not a terminal, the shell runs the statements
and dot-commands it reads without a prompt and stops with exit status 1 at
the first error. 'stance query' without SQL on a terminal opens the shell.`,
		Example: `  stance repl
  stance repl --at 7d
  stance repl --mode csv < report.sql > report.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runRepl(cmd.Context(), at, mode)
		},
	}
	cmd.Flags().StringVar(&at, "at", "", "start as of this moment: RFC 3339, a date, or an age such as 3d")
	cmd.Flags().StringVar(&mode, "mode", "table", "output format at the start: "+strings.Join(repl.Modes, ", "))
	return cmd
}

// runRepl opens the REPL on the database of g.
func (g *globals) runRepl(ctx context.Context, at, mode string) error {
	var moment time.Time
	if at != "" {
		var err error
		if moment, err = timeparse.Parse(at, time.Now()); err != nil {
			return fmt.Errorf("--at: %w", err)
		}
	}
	history, err := repl.DefaultHistoryFile()
	if err != nil {
		g.log.Warn("history is kept in memory only", "error", err)
		history = ""
	}
	checks, err := checkCandidates()
	if err != nil {
		return err
	}
	return repl.Run(ctx, repl.Options{
		Open:        func(ctx context.Context) (*store.Store, error) { return g.openReadOnly(ctx) },
		Check:       g.subcommand(newCheckCmd),
		Drift:       g.subcommand(newDriftCmd),
		Checks:      checks,
		HistoryFile: history,
		At:          moment,
		Mode:        mode,
		Stdin:       g.stdin,
		Stdout:      g.stdout,
		Stderr:      g.stderr,
	})
}

// subcommand returns a function that runs a stance command with the
// arguments of a dot-command, so that .check and .drift take the same
// flags as 'stance check' and 'stance drift' and write to out.
func (g *globals) subcommand(newCmd func(*globals) *cobra.Command) func(context.Context, []string, io.Writer) error {
	return func(ctx context.Context, args []string, out io.Writer) error {
		sub := *g
		sub.stdout = out
		cmd := newCmd(&sub)
		cmd.SetArgs(args)
		cmd.SetOut(out)
		cmd.SetErr(g.stderr)
		cmd.SilenceUsage = true
		cmd.SilenceErrors = true
		return cmd.ExecuteContext(ctx)
	}
}

// checkCandidates lists the benchmarks and controls of the packs, for
// completion after .check and inside string literals.
func checkCandidates() ([]repl.Candidate, error) {
	p, err := loadPacks(nil)
	if err != nil {
		return nil, err
	}
	var out []repl.Candidate
	for _, b := range p.Benchmarks {
		out = append(out, repl.Candidate{Value: b.Ref(), Description: b.Title, Group: "benchmarks"})
	}
	for _, id := range sortedKeys(p.Controls) {
		c := p.Controls[id]
		out = append(out, repl.Candidate{Value: id, Description: c.Severity + " · " + c.Title, Group: "controls"})
	}
	return out, nil
}
