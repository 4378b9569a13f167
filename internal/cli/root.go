// Package cli implements the stance command line.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/internal/store"
)

// Exit statuses of stance.
const (
	ExitOK          = 0
	ExitError       = 1 // bad input, bad SQL, an unreadable database
	ExitPartial     = 3 // a sync completed some partitions, not all
	ExitNothing     = 4 // a sync could read nothing
	ExitInterrupted = 130
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// globals are the flags every command takes.
type globals struct {
	dbPath    string
	logLevel  string
	logFormat string
	stdout    io.Writer
	stderr    io.Writer
	stdin     io.Reader
	log       *slog.Logger
	level     slog.Level
}

// Main runs stance with the given arguments and returns the exit status.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr, stdin: stdin}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "stance:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "stance:", err)
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	return ExitError
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "stance",
		Short: "Cloud security posture management over SQL, with history",
		Long: `stance reads AWS accounts into a DuckDB database that keeps every version
of every resource, and answers SQL over the present or any past moment.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.setupLogging()
		},
	}
	root.PersistentFlags().StringVar(&g.dbPath, "db", "", "database file (default $STANCE_DB, else $XDG_DATA_HOME/stance/stance.duckdb)")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	root.AddCommand(newSyncCmd(g), newQueryCmd(g), newQueriesCmd(g), newTablesCmd(g), newCheckCmd(g), newFindingsCmd(g), newSuppressCmd(g), newDemoCmd(g), newVersionCmd(g), newDriftCmd(g), newHistoryCmd(g), newBaselineCmd(g), newExportCmd(g), newReplCmd(g))
	addUsageHints(root)
	return root
}

// addUsageHints makes flag and argument errors of cmd and its subcommands
// end with the --help command that shows the right usage, because
// SilenceUsage hides cobra's own usage text.
func addUsageHints(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withUsageHint(c, err)
	})
	if validate := cmd.Args; validate != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := validate(c, args); err != nil {
				return withUsageHint(c, err)
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		addUsageHints(sub)
	}
}

func withUsageHint(cmd *cobra.Command, err error) error {
	return fmt.Errorf("%w\nRun '%s --help' for usage.", err, cmd.CommandPath())
}

func (g *globals) setupLogging() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(g.logFormat) {
	case "text":
		g.log = slog.New(slog.NewTextHandler(g.stderr, opts))
	case "json":
		g.log = slog.New(slog.NewJSONHandler(g.stderr, opts))
	default:
		return fmt.Errorf("invalid --log-format %q: use text or json", g.logFormat)
	}
	slog.SetDefault(g.log)
	g.level = level
	return nil
}

// quietLogger returns the logger with warnings left out unless the user
// asked for debug logs, for commands whose summary already lists them.
func quietLogger(g *globals) *slog.Logger {
	if g.level <= slog.LevelDebug {
		return g.log
	}
	opts := &slog.HandlerOptions{Level: slog.LevelError}
	if strings.ToLower(g.logFormat) == "json" {
		return slog.New(slog.NewJSONHandler(g.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(g.stderr, opts))
}

// resolveDB returns the database path from --db, STANCE_DB or the default.
func (g *globals) resolveDB() (string, error) {
	if g.dbPath != "" {
		return g.dbPath, nil
	}
	if p := os.Getenv("STANCE_DB"); p != "" {
		return p, nil
	}
	return store.DefaultPath()
}

// openReadOnly opens the database for commands that only read it.
func (g *globals) openReadOnly(ctx context.Context) (*store.Store, error) {
	path, err := g.resolveDB()
	if err != nil {
		return nil, err
	}
	return store.OpenReadOnly(ctx, path)
}

func (g *globals) openStore(ctx context.Context) (*store.Store, error) {
	path, err := g.resolveDB()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, path)
}

// isTerminal reports whether w is a terminal, for progress bars and tables.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
