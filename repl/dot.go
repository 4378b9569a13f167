package repl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/timeparse"
)

// dotCommand is a command of the REPL that starts with a dot.
type dotCommand struct {
	name string
	args string
	help string
	run  func(s *session, ctx context.Context, args []string) error
}

// maxReadDepth bounds .read inside .read, so that a file that reads itself
// fails instead of recursing without end.
const maxReadDepth = 16

var dotCommands []dotCommand

func init() {
	dotCommands = []dotCommand{
		{name: ".help", help: "list the dot-commands", run: (*session).dotHelp},
		{name: ".tables", args: "[PATTERN]", help: "list tables and views, with descriptions; PATTERN is a glob or a part of the name", run: (*session).dotTables},
		{name: ".schema", args: "TABLE", help: "list the columns of TABLE with types and descriptions", run: (*session).dotSchema},
		{name: ".mode", args: strings.Join(Modes, "|"), help: "set the output format", run: (*session).dotMode},
		{name: ".timer", args: "on|off", help: "show the run time of each statement", run: (*session).dotTimer},
		{name: ".at", args: "[TIME|now]", help: "query the estate as of TIME (RFC 3339, a date or an age such as 3d) from now on; now returns to the present", run: (*session).dotAt},
		{name: ".output", args: "[FILE]", help: "write results to FILE (mode 0600); without FILE, to the terminal again", run: (*session).dotOutput},
		{name: ".once", args: "FILE", help: "write the next result to FILE (mode 0600)", run: (*session).dotOnce},
		{name: ".read", args: "FILE", help: "run the statements and dot-commands in FILE", run: (*session).dotRead},
		{name: ".check", args: "[BENCHMARK[@VERSION] | CONTROL ...] [FLAGS]", help: "run a benchmark or controls as 'stance check' does, as of .at when it is set", run: (*session).dotCheck},
		{name: ".drift", args: "[FLAGS]", help: "show what changed between two moments, as 'stance drift' does", run: (*session).dotDrift},
		{name: ".quit", help: "leave the REPL (also .exit and Ctrl-D)", run: (*session).dotQuit},
		{name: ".exit", help: "leave the REPL", run: (*session).dotQuit},
	}
}

// dot runs one dot-command line.
func (s *session) dot(ctx context.Context, line string) error {
	fields, err := splitArgs(line)
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		return nil
	}
	for _, c := range dotCommands {
		if c.name == fields[0] {
			return c.run(s, ctx, fields[1:])
		}
	}
	return fmt.Errorf("unknown command %s: type .help for the list", render.Sanitize(fields[0]))
}

// splitArgs splits a dot-command line at white space, keeping text in
// single or double quotes together, as a shell does.
func splitArgs(line string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
				continue
			}
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote = r
			inArg = true
		case r == ' ' || r == '\t':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote in %q", quote, line)
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

func (s *session) dotHelp(_ context.Context, _ []string) error {
	var b strings.Builder
	for _, c := range dotCommands {
		usage := c.name
		if c.args != "" {
			usage += " " + c.args
		}
		fmt.Fprintf(&b, "%s\n    %s\n", usage, c.help)
	}
	b.WriteString("\nA statement runs when a line ends with ';'. Tab completes; Ctrl-R searches the\n")
	b.WriteString("history; Ctrl-C cancels the running query or clears the input; Ctrl-D leaves.\n")
	_, err := fmt.Fprint(s.stdout, b.String())
	return err
}

func (s *session) dotTables(ctx context.Context, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: .tables [PATTERN]")
	}
	pattern := "*"
	if len(args) == 1 {
		pattern = args[0]
		if !strings.ContainsAny(pattern, "*?[") {
			pattern = "*" + pattern + "*"
		}
	}
	cat, err := loadCatalog(ctx, s.conn)
	if err != nil {
		return err
	}
	res := render.Result{Columns: []string{"table", "description"}}
	for _, t := range cat.tables {
		name := t.name
		if t.schema != "main" {
			name = t.schema + "." + t.name
		}
		ok, err := path.Match(pattern, name)
		if err != nil {
			return fmt.Errorf("invalid pattern %q: %w", pattern, err)
		}
		if ok {
			res.Rows = append(res.Rows, []any{name, t.description})
		}
	}
	if len(res.Rows) == 0 {
		return fmt.Errorf("no table matches %q", pattern)
	}
	return s.writeResult(res)
}

func (s *session) dotSchema(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .schema TABLE (list tables with .tables)")
	}
	cat, err := loadCatalog(ctx, s.conn)
	if err != nil {
		return err
	}
	schema, name, found := strings.Cut(args[0], ".")
	if !found {
		schema, name = "", args[0]
	}
	cols := cat.columns[tableKey(schema, name)]
	if len(cols) == 0 {
		return fmt.Errorf("no table or view named %q: list them with .tables", args[0])
	}
	res := render.Result{Columns: []string{"column", "type", "description"}}
	for _, c := range cols {
		res.Rows = append(res.Rows, []any{c.name, c.dataType, c.description})
	}
	return s.writeResult(res)
}

func (s *session) dotMode(_ context.Context, args []string) error {
	if len(args) == 0 {
		_, err := fmt.Fprintf(s.stdout, "mode: %s\n", s.mode)
		return err
	}
	if len(args) != 1 || !validMode(args[0]) {
		return fmt.Errorf("invalid mode %q: use .mode %s", strings.Join(args, " "), strings.Join(Modes, "|"))
	}
	s.mode = args[0]
	return nil
}

func (s *session) dotTimer(_ context.Context, args []string) error {
	if len(args) != 1 || (args[0] != "on" && args[0] != "off") {
		return fmt.Errorf("usage: .timer on|off")
	}
	s.timer = args[0] == "on"
	return nil
}

func (s *session) dotAt(ctx context.Context, args []string) error {
	if len(args) == 0 {
		_, err := fmt.Fprintln(s.stdout, s.moment())
		return err
	}
	text := strings.Join(args, " ")
	var at time.Time
	if !strings.EqualFold(text, "now") {
		var err error
		if at, err = timeparse.Parse(text, time.Now()); err != nil {
			return fmt.Errorf(".at: %w", err)
		}
	}
	if err := store.SetAt(ctx, s.conn, at); err != nil {
		return err
	}
	s.at = at
	if s.terminal == nil {
		return nil
	}
	_, err := fmt.Fprintf(s.stdout, "Queries now see %s.\n", s.moment())
	return err
}

// moment describes the time-travel moment of the session.
func (s *session) moment() string {
	if s.at.IsZero() {
		return "the present"
	}
	return "the estate as of " + s.at.UTC().Format(time.RFC3339)
}

func (s *session) dotOutput(_ context.Context, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("usage: .output [FILE]")
	}
	s.closeOutput()
	if len(args) == 0 {
		return nil
	}
	f, err := os.OpenFile(args[0], os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open output file: %w", err)
	}
	s.output = f
	return nil
}

func (s *session) dotOnce(_ context.Context, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .once FILE")
	}
	s.once = args[0]
	return nil
}

func (s *session) dotRead(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: .read FILE")
	}
	if s.readDepth >= maxReadDepth {
		return fmt.Errorf(".read %s: files read each other more than %d deep", args[0], maxReadDepth)
	}
	f, err := os.Open(args[0])
	if err != nil {
		return fmt.Errorf(".read: %w", err)
	}
	defer f.Close()
	s.readDepth++
	defer func() { s.readDepth-- }()
	return s.runScript(ctx, f, args[0])
}

func (s *session) dotCheck(ctx context.Context, args []string) error {
	if s.opts.Check == nil {
		return errors.New(".check is not available in this session")
	}
	if !s.at.IsZero() && !hasFlag(args, "--at") {
		args = append([]string{"--at", s.at.UTC().Format(time.RFC3339Nano)}, args...)
	}
	// 'stance check' stores its results, so it opens the database for
	// writing, which DuckDB allows only when no other handle of this
	// process has it open. Reopening loses the temporary tables and the
	// variables that statements set, apart from .at.
	s.close()
	var out bytes.Buffer
	ctx, done := s.statementContext(ctx)
	checkErr := s.cancelled(ctx, s.opts.Check(ctx, args, &out))
	done()
	if err := s.open(context.WithoutCancel(ctx)); err != nil {
		return errors.Join(checkErr, fmt.Errorf("open the database again after .check: %w", err))
	}
	if err := s.emit(out.Bytes()); err != nil {
		return err
	}
	return checkErr
}

func (s *session) dotDrift(ctx context.Context, args []string) error {
	if s.opts.Drift == nil {
		return errors.New(".drift is not available in this session")
	}
	var out bytes.Buffer
	ctx, done := s.statementContext(ctx)
	driftErr := s.cancelled(ctx, s.opts.Drift(ctx, args, &out))
	done()
	if err := s.emit(out.Bytes()); err != nil {
		return err
	}
	return driftErr
}

// cancelled returns errCancelled in place of err when Ctrl-C cancelled ctx.
func (s *session) cancelled(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return errCancelled
	}
	return err
}

func (s *session) dotQuit(_ context.Context, _ []string) error { return errQuit }

func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}
