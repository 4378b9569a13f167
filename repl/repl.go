// Package repl is stance's interactive SQL shell. Statements span lines
// and run at a semicolon. Tab completes tables, columns, keywords,
// functions, dot-commands and control ids, the history is kept across
// sessions, .at sets a time-travel moment, and Ctrl-C cancels the running
// query. With standard input that is not a terminal it runs a script.
package repl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// Options configure a session.
type Options struct {
	// Open opens the database read-only. The session opens it at the start
	// and again after .check, which needs to write.
	Open func(ctx context.Context) (*store.Store, error)
	// Check runs `stance check` with the arguments of .check, writing the
	// report to out. The session closes its database while Check runs.
	Check func(ctx context.Context, args []string, out io.Writer) error
	// Drift runs `stance drift` with the arguments of .drift.
	Drift func(ctx context.Context, args []string, out io.Writer) error
	// Checks are the benchmark references and control ids that .check
	// accepts, for completion.
	Checks []Candidate
	// HistoryFile keeps the statements across sessions; "" keeps them in
	// memory only.
	HistoryFile string
	// At is the time-travel moment at the start; zero is the present.
	At time.Time
	// Mode is the output format at the start: one of Modes.
	Mode string

	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Modes are the output formats that .mode accepts.
var Modes = []string{"table", "line", "csv", "json", "jsonl", "markdown"}

// DefaultHistoryFile returns $XDG_STATE_HOME/stance/history, with
// ~/.local/state standing in for an unset XDG_STATE_HOME.
func DefaultHistoryFile() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the history file: set XDG_STATE_HOME or HOME: %w", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "stance", "history"), nil
}

// errQuit ends a session or a script after .quit.
var errQuit = errors.New("quit")

// session is the state of one REPL: the database connection, the output
// settings and the time-travel moment.
type session struct {
	opts   Options
	st     *store.Store
	conn   *sql.Conn
	cat    *catalog
	at     time.Time
	mode   string
	timer  bool
	stdout io.Writer
	stderr io.Writer

	// output is the file of .output, nil for standard output; once is the
	// file of .once, used for the next result only.
	output *os.File
	once   string

	// terminal is set in an interactive session: results then fit the
	// terminal's width and go through $PAGER when long.
	terminal  *terminal
	readDepth int

	mu     sync.Mutex
	cancel context.CancelFunc // of the running statement, nil between statements
}

// Run runs a session until .quit, the end of input or Ctrl-D. With a
// terminal on standard input it is interactive; otherwise it runs the
// statements and dot-commands it reads and returns the first error.
func Run(ctx context.Context, opts Options) error {
	if opts.Mode == "" {
		opts.Mode = "table"
	}
	if !validMode(opts.Mode) {
		return fmt.Errorf("invalid mode %q: use one of %s", opts.Mode, strings.Join(Modes, ", "))
	}
	s := &session{opts: opts, at: opts.At, mode: opts.Mode, stdout: opts.Stdout, stderr: opts.Stderr}
	if err := s.open(ctx); err != nil {
		return err
	}
	defer s.close()
	defer s.closeOutput()

	if in, ok := opts.Stdin.(*os.File); ok && isTerminal(in) {
		return s.interactive(ctx, in)
	}
	err := s.runScript(ctx, opts.Stdin, "standard input")
	if errors.Is(err, errQuit) {
		return nil
	}
	return err
}

func validMode(m string) bool {
	for _, v := range Modes {
		if v == m {
			return true
		}
	}
	return false
}

// open opens the database and the session's connection, and sets the
// time-travel moment on it.
func (s *session) open(ctx context.Context) error {
	st, err := s.opts.Open(ctx)
	if err != nil {
		return err
	}
	conn, err := st.Conn(ctx)
	if err != nil {
		st.Close()
		return err
	}
	if err := store.SetAt(ctx, conn, s.at); err != nil {
		conn.Close()
		st.Close()
		return err
	}
	s.st, s.conn, s.cat = st, conn, nil
	return nil
}

func (s *session) close() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	if s.st != nil {
		s.st.Close()
		s.st = nil
	}
}

// catalogForCompletion loads the catalog on first use, so that a script
// never pays for it.
func (s *session) catalogForCompletion() *catalog {
	if s.cat != nil {
		return s.cat
	}
	c, err := loadCatalog(context.Background(), s.conn)
	if err != nil {
		c = &catalog{columns: map[string][]columnInfo{}}
	}
	c.checks = s.opts.Checks
	s.cat = c
	return c
}

// runScript runs the statements and dot-commands read from r: a
// dot-command is a line that starts with "." outside a statement. It stops
// at the first error and names the line where the failing statement
// starts.
func (s *session) runScript(ctx context.Context, r io.Reader, name string) error {
	var pending strings.Builder
	pendingLine := 1
	lineNo := 0
	reader := newLineReader(r)
	for {
		line, err := reader.next()
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s: %w", name, err)
		}
		eof := errors.Is(err, io.EOF)
		if line == "" && eof {
			break
		}
		lineNo++
		if IsBlank(pending.String()) && strings.HasPrefix(strings.TrimSpace(line), ".") {
			if err := s.dot(ctx, strings.TrimSpace(line)); err != nil {
				if errors.Is(err, errQuit) {
					return err
				}
				return fmt.Errorf("%s, line %d: %w", name, lineNo, err)
			}
			pending.Reset()
			pendingLine = lineNo + 1
			continue
		}
		if IsBlank(pending.String()) {
			pending.Reset()
			pendingLine = lineNo
		}
		pending.WriteString(line)
		pending.WriteByte('\n')
		stmts, rest := Split(pending.String())
		for _, st := range stmts {
			if err := s.runStatement(ctx, st.SQL); err != nil {
				return fmt.Errorf("%s, line %d: %w", name, pendingLine+st.Line-1, err)
			}
		}
		if len(stmts) > 0 {
			pendingLine += strings.Count(pending.String()[:len(pending.String())-len(rest)], "\n")
			pending.Reset()
			pending.WriteString(rest)
		}
		if eof {
			break
		}
	}
	if !IsBlank(pending.String()) {
		if kind := unterminated(pending.String()); kind != "" {
			return fmt.Errorf("%s, line %d: the input ends inside an unterminated %s: close it", name, pendingLine, kind)
		}
		// The last statement needs no semicolon at the end of the input.
		stmts, _ := Split(pending.String() + ";")
		for _, st := range stmts {
			if err := s.runStatement(ctx, st.SQL); err != nil {
				return fmt.Errorf("%s, line %d: %w", name, pendingLine+st.Line-1, err)
			}
		}
	}
	return nil
}
