package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/reeflective/readline"
	"golang.org/x/term"
)

// terminal is the terminal of an interactive session and the state to
// restore when the session ends.
type terminal struct {
	in    *os.File
	out   *os.File
	saved *term.State
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// restore puts the terminal back in the mode it had before the session.
// The line editor restores it after each line it reads, and restore
// covers the exits that bypass the editor: a panic and SIGTERM.
func (t *terminal) restore() {
	if t.saved != nil {
		_ = term.Restore(int(t.in.Fd()), t.saved)
	}
}

// width returns the terminal's width in columns, 80 when it is unknown.
func (t *terminal) width() int {
	if w, _, err := term.GetSize(int(t.out.Fd())); err == nil && w > 0 {
		return w
	}
	return 80
}

// height returns the terminal's height in lines, 24 when it is unknown.
func (t *terminal) height() int {
	if _, h, err := term.GetSize(int(t.out.Fd())); err == nil && h > 0 {
		return h
	}
	return 24
}

// exitProcess ends the process after SIGTERM or SIGHUP.
var exitProcess = os.Exit

// interactive runs the read-eval-print loop on the terminal. The line
// editor reads os.Stdin and writes os.Stdout whatever in is, so in must
// be os.Stdin.
func (s *session) interactive(ctx context.Context, in *os.File) error {
	saved, err := term.GetState(int(in.Fd()))
	if err != nil {
		return fmt.Errorf("read the terminal mode: %w", err)
	}
	out, ok := s.stdout.(*os.File)
	if !ok {
		out = os.Stdout
	}
	s.terminal = &terminal{in: in, out: out, saved: saved}
	defer s.terminal.restore()

	// SIGINT reaches the process only outside the line editor, such as
	// while a statement runs, because the editor reads Ctrl-C as a key in
	// raw mode.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	stop := make(chan struct{})
	defer func() {
		signal.Stop(sigs)
		close(stop)
	}()
	go s.watchSignals(sigs, stop)

	rl, err := s.newShell()
	if err != nil {
		return err
	}
	fmt.Fprintln(s.stdout, "stance SQL shell: end statements with ';', type .help for commands, Ctrl-D to leave.")
	for {
		input, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return fmt.Errorf("read input: %w", err)
		}
		err = s.runInput(ctx, input)
		if errors.Is(err, errQuit) {
			return nil
		}
		if err != nil {
			fmt.Fprintln(s.stderr, errorText(err))
		}
	}
}

// watchSignals cancels the running statement on SIGINT, and on SIGTERM or
// SIGHUP restores the terminal and ends the process with 128 plus the
// signal number, as a shell reports a process killed by it.
func (s *session) watchSignals(sigs <-chan os.Signal, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case sig := <-sigs:
			if sig == os.Interrupt {
				s.cancelRunning()
				continue
			}
			s.terminal.restore()
			code := 1
			if n, ok := sig.(syscall.Signal); ok {
				code = 128 + int(n)
			}
			exitProcess(code)
		}
	}
}

// runInput runs one input of the line editor: a dot-command, or one or
// more complete statements.
func (s *session) runInput(ctx context.Context, input string) error {
	text := strings.TrimSpace(input)
	if strings.HasPrefix(text, ".") {
		return s.dot(ctx, text)
	}
	stmts, _ := Split(input)
	for _, st := range stmts {
		if err := s.runStatement(ctx, st.SQL); err != nil {
			return err
		}
	}
	return nil
}

// prompt returns the primary prompt, which shows the time-travel moment
// when one is set.
func (s *session) prompt() string {
	if s.at.IsZero() {
		return "stance> "
	}
	return "stance@" + s.at.UTC().Format(time.RFC3339) + "> "
}

// continuationPrompt starts the lines of a statement after its first, as
// wide as "stance> ".
const continuationPrompt = "   ...> "

// newShell configures the line editor: multi-line statements that run at
// a semicolon, completion, and the history file.
func (s *session) newShell() (*readline.Shell, error) {
	rl := readline.NewShell()
	rl.Prompt.Primary(s.prompt)
	rl.Prompt.Secondary(func() string { return continuationPrompt })
	// The cursor position probe requests the cursor position from the
	// terminal before each redraw. It is off because a terminal that never
	// replies would hang the shell, and keys pasted while the editor waits
	// for the reply can be lost. The prompt always starts in the first column,
	// where the editor's own count is exact.
	settings := map[string]any{
		"cursor-position-probe":   false,
		"completion-ignore-case":  true,
		"multiline-column":        false,
		"multiline-column-custom": continuationPrompt,
	}
	for name, value := range settings {
		if err := rl.Config.Set(name, value); err != nil {
			return nil, fmt.Errorf("configure the line editor (%s): %w", name, err)
		}
	}
	rl.AcceptMultiline = func(line []rune) bool {
		text := string(line)
		trimmed := strings.TrimSpace(text)
		return trimmed == "" || strings.HasPrefix(trimmed, ".") || Complete(text)
	}
	rl.Completer = s.complete

	if s.opts.HistoryFile != "" {
		if err := os.MkdirAll(filepath.Dir(s.opts.HistoryFile), 0o700); err != nil {
			return nil, fmt.Errorf("create the history folder: %w", err)
		}
		// The editor creates the file with mode 0600 on the first write.
		// NOTE: the editor appends every statement and never trims the
		// file, so it grows until the user truncates it.
		rl.History.AddFromFile("history", s.opts.HistoryFile)
	}
	return rl, nil
}

// complete returns the completions at the cursor for the line editor.
// The editor replaces the white-space-delimited word before the cursor,
// such as "count(b.re", so each value carries the part of that word
// before the name being completed.
func (s *session) complete(line []rune, cursor int) readline.Completions {
	text := string(line)
	// The editor counts the cursor in runes, the lexer in bytes.
	offset := len(string(line[:cursor]))
	prefix, cands := s.completeAt(text, offset)

	start := offset
	for start > 0 && !isSpace(text[start-1]) {
		start--
	}
	word := text[start:offset]
	if !strings.HasSuffix(strings.ToLower(word), strings.ToLower(prefix)) {
		return readline.Completions{}
	}
	head := word[:len(word)-len(prefix)]
	values := make([]readline.Completion, len(cands))
	for i, c := range cands {
		values[i] = readline.Completion{Value: head + c.Value, Display: c.Value, Description: c.Description, Tag: c.Group}
	}
	comps := readline.CompleteRaw(values)
	comps.PREFIX = word
	return comps
}
