package repl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/sqlrun"
)

// errCancelled is returned for a statement that Ctrl-C cancelled.
var errCancelled = errors.New("query cancelled")

// runStatement runs one SQL statement and writes its result.
func (s *session) runStatement(ctx context.Context, query string) error {
	ctx, done := s.statementContext(ctx)
	defer done()
	started := time.Now()
	res, err := sqlrun.Query(ctx, s.conn, query)
	elapsed := time.Since(started)
	if err != nil {
		if ctx.Err() != nil {
			return errCancelled
		}
		return err
	}
	// A statement such as SET VARIABLE returns no columns: there is
	// nothing to show.
	if len(res.Columns) > 0 {
		if err := s.writeResult(res); err != nil {
			return err
		}
	}
	if s.timer {
		fmt.Fprintf(s.stdout, "Run Time: %.3f s\n", elapsed.Seconds())
	}
	return nil
}

// statementContext returns the context of one statement. In an
// interactive session Ctrl-C cancels it through cancelRunning, and the
// parent's cancellation is ignored, because the command line cancels the
// parent on the first SIGINT.
func (s *session) statementContext(parent context.Context) (context.Context, context.CancelFunc) {
	if s.terminal != nil {
		parent = context.WithoutCancel(parent)
	}
	ctx, cancel := context.WithCancel(parent)
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	return ctx, func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}
}

// cancelRunning cancels the running statement, if any.
func (s *session) cancelRunning() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

// writeResult renders a result in the session's mode and emits it. On the
// terminal a table is narrowed to the terminal's width.
func (s *session) writeResult(res render.Result) error {
	opts := render.Options{MaxWidth: 80}
	toTerminal := s.once == "" && s.output == nil && s.terminal != nil
	if toTerminal {
		opts.Width = s.terminal.width()
	}
	var buf bytes.Buffer
	if err := render.Write(&buf, s.mode, res, opts); err != nil {
		return err
	}
	return s.emit(buf.Bytes())
}

// emit writes output to the file of .once or .output, or else to standard
// output, through $PAGER when it is longer than the terminal.
func (s *session) emit(text []byte) error {
	switch {
	case s.once != "":
		path := s.once
		s.once = ""
		return writeFile(path, text)
	case s.output != nil:
		if _, err := s.output.Write(text); err != nil {
			return fmt.Errorf("write to %s: %w", s.output.Name(), err)
		}
		return nil
	case s.terminal != nil && os.Getenv("PAGER") != "" && bytes.Count(text, []byte("\n")) >= s.terminal.height()-1:
		return s.page(text)
	}
	_, err := s.stdout.Write(text)
	return err
}

// page shows text through $PAGER, run by the shell as git and psql do, so
// that PAGER may hold options such as "less -S".
func (s *session) page(text []byte) error {
	pager := os.Getenv("PAGER")
	cmd := exec.Command("/bin/sh", "-c", pager)
	cmd.Stdin = bytes.NewReader(text)
	cmd.Stdout = s.stdout
	cmd.Stderr = s.stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			// A pager that quits early, as less does on q, ends with a
			// broken pipe or a non-zero status, which is no error.
			return nil
		}
		fmt.Fprintf(s.stderr, "stance: warning: the pager %q failed (%v): showing the result here\n", pager, err)
		_, werr := s.stdout.Write(text)
		return werr
	}
	return nil
}

// writeFile creates or truncates path with mode 0600, because results can
// hold the configuration of the estate, and writes data.
func writeFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open output file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write to %s: %w", path, err)
	}
	return f.Close()
}

func (s *session) closeOutput() {
	if s.output != nil {
		s.output.Close()
		s.output = nil
	}
}

// errorText returns an error for the terminal: DuckDB's message as it is,
// with the line of the statement and a caret under the position, and each
// line's control characters escaped.
func errorText(err error) string {
	if errors.Is(err, errCancelled) {
		return "Interrupted: the query was cancelled."
	}
	lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = render.Sanitize(l)
	}
	return "Error: " + strings.Join(lines, "\n")
}
