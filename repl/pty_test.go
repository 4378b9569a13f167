package repl_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"

	"github.com/stance-cspm/stance/internal/cli"
)

// childEnv marks the test binary started as stance by the tests, which
// then runs the command line instead of the tests.
const childEnv = "STANCE_REPL_TEST_CHILD"

// expectTimeout bounds every wait for output. It is generous because the
// tests share a loaded machine, and a passing test never waits it out.
const expectTimeout = 90 * time.Second

// sharedDir holds the demo database that every test reads.
var sharedDir string

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.Main(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "stance-repl-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// demoDatabase syncs the built-in demo world once for all tests. Its last
// two syncs are an hour apart, the second after a bucket was made public.
func demoDatabase(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		demoDB = filepath.Join(sharedDir, "demo.duckdb")
		cmd := stanceCmd(sharedDir, "demo", "--db", demoDB)
		if out, err := cmd.CombinedOutput(); err != nil {
			demoErr = fmt.Errorf("stance demo: %v\n%s", err, out)
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDB
}

var (
	demoOnce sync.Once
	demoDB   string
	demoErr  error
)

// stanceCmd returns a command that runs this test binary as stance, with a
// private home and state folder under home.
func stanceCmd(home string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{
		childEnv + "=1",
		"HOME=" + home,
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"TERM=xterm",
		"PATH=" + os.Getenv("PATH"),
	}
	return cmd
}

// console is a stance process on a pseudo-terminal.
type console struct {
	t      *testing.T
	cmd    *exec.Cmd
	ptmx   *os.File
	tty    *os.File
	before *term.State

	mu   sync.Mutex
	raw  bytes.Buffer
	mark int // offset in the cleaned output where the next expect starts
	exit chan error
}

// startConsole starts stance with args on a new 120x40 pseudo-terminal.
func startConsole(t *testing.T, home string, env []string, args ...string) *console {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 40, Cols: 120}); err != nil {
		t.Fatalf("set the terminal size: %v", err)
	}
	before, err := term.GetState(int(tty.Fd()))
	if err != nil {
		t.Fatalf("read the terminal mode: %v", err)
	}

	cmd := stanceCmd(home, args...)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stance: %v", err)
	}

	c := &console{t: t, cmd: cmd, ptmx: ptmx, tty: tty, before: before, exit: make(chan error, 1)}
	go c.read()
	go func() { c.exit <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		ptmx.Close()
		tty.Close()
		if t.Failed() {
			t.Logf("terminal output:\n%s", c.output())
		}
	})
	return c
}

// cursorQuery is the device status report request for the cursor
// position. A line editor that sends it waits for the reply before it
// draws.
const cursorQuery = "\x1b[6n"

// lineStart matches what moves the cursor to the first column.
var lineStart = regexp.MustCompile(`\n|\r|\x1b\[\d*D`)

// read collects the output and replies to cursor position requests as a
// terminal emulator does, with the column after the text since the
// cursor last went to the start of the line.
func (c *console) read() {
	buf := make([]byte, 4096)
	answered := 0
	for {
		n, err := c.ptmx.Read(buf)
		c.mu.Lock()
		c.raw.Write(buf[:n])
		raw := c.raw.String()
		c.mu.Unlock()
		for {
			i := strings.Index(raw[answered:], cursorQuery)
			if i < 0 {
				break
			}
			before := raw[:answered+i]
			if loc := lineStart.FindAllStringIndex(before, -1); len(loc) > 0 {
				before = before[loc[len(loc)-1][1]:]
			}
			column := len([]rune(escapes.ReplaceAllString(before, ""))) + 1
			fmt.Fprintf(c.ptmx, "\x1b[1;%dR", column)
			answered += i + len(cursorQuery)
		}
		if err != nil {
			return
		}
	}
}

var escapes = regexp.MustCompile(`\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\r`)

// output returns what the terminal showed, without escape sequences.
func (c *console) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return escapes.ReplaceAllString(c.raw.String(), "")
}

// expect waits until text appears after the previous match.
func (c *console) expect(text string) {
	c.t.Helper()
	deadline := time.Now().Add(expectTimeout)
	for time.Now().Before(deadline) {
		out := c.output()
		if i := strings.Index(out[min(c.mark, len(out)):], text); i >= 0 {
			c.mark += i + len(text)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.t.Fatalf("timed out after %v waiting for %q; output after the last match:\n%s", expectTimeout, text, c.output()[min(c.mark, len(c.output())):])
}

// rest returns the output after the previous match.
func (c *console) rest() string {
	out := c.output()
	return out[min(c.mark, len(out)):]
}

func (c *console) send(keys string) {
	c.t.Helper()
	if _, err := c.ptmx.Write([]byte(keys)); err != nil {
		c.t.Fatalf("write %q to the terminal: %v", keys, err)
	}
}

// typeLine types text, waits until the terminal echoes its end, and
// presses Enter, so that keys never race the line editor.
func (c *console) typeLine(text string) {
	c.t.Helper()
	c.typeText(text)
	c.send("\r")
}

func (c *console) typeText(text string) {
	c.t.Helper()
	c.send(text)
	tail := text
	if len(tail) > 8 {
		tail = tail[len(tail)-8:]
	}
	c.expect(tail)
}

// wait waits for stance to exit and returns its exit status.
func (c *console) wait() int {
	c.t.Helper()
	select {
	case err := <-c.exit:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return 128 + int(ws.Signal())
			}
			return exitErr.ExitCode()
		}
		if err != nil {
			c.t.Fatalf("wait for stance: %v", err)
		}
		return 0
	case <-time.After(expectTimeout):
		c.t.Fatalf("stance did not exit within %v", expectTimeout)
		return -1
	}
}

// checkRestored fails when the terminal mode differs from before stance
// started, as when echo or line editing stays off.
func (c *console) checkRestored() {
	c.t.Helper()
	after, err := term.GetState(int(c.tty.Fd()))
	if err != nil {
		c.t.Fatalf("read the terminal mode: %v", err)
	}
	if !reflect.DeepEqual(c.before, after) {
		c.t.Errorf("terminal mode after exit is %+v, want the mode before start %+v", after, c.before)
	}
}

func TestReplMultiLineStatement(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")

	c.typeLine("SELECT 40 +")
	c.expect("...> ")
	c.typeLine("  2 AS answer")
	c.expect("...> ")
	c.typeLine(";")
	c.expect("answer")
	c.expect("42")
	c.expect("(1 row)")

	// A semicolon inside a string, a quoted identifier or a comment does
	// not run the statement.
	c.typeLine("SELECT 'a;b' AS \"x;y\" -- not; yet")
	c.expect("...> ")
	c.typeLine(";")
	c.expect("x;y")
	c.expect("a;b")

	c.typeLine(".quit")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	c.checkRestored()
}

func TestReplCompletesTableAndAliasColumn(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")

	// Without completion, aws_s3_buc names no table and the query fails.
	c.typeText("SELECT count(*) AS buckets FROM aws_s3_buc")
	c.send("\t")
	c.expect("aws_s3_bucket")
	c.typeLine(";")
	c.expect("buckets")
	c.expect("(1 row)")
	if strings.Contains(c.rest(), "Error") {
		t.Fatalf("completed table query failed:\n%s", c.rest())
	}

	c.typeText("SELECT count(*) AS exposed FROM aws_s3_bucket b WHERE b.policy_status_is_pu")
	c.send("\t")
	c.expect("policy_status_is_public")
	c.typeLine(" OR true;")
	c.expect("exposed")
	c.expect("(1 row)")
	if strings.Contains(c.rest(), "Error") {
		t.Fatalf("completed column query failed:\n%s", c.rest())
	}

	c.send("\x04")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status after Ctrl-D %d, want 0", code)
	}
	c.checkRestored()
}

// syncTimes returns the times of the demo's last two syncs: the AWS sync
// before the incident and the one after it. Earlier syncs of other
// providers may precede them.
func syncTimes(t *testing.T, db string) (first, second time.Time) {
	t.Helper()
	cmd := stanceCmd(t.TempDir(), "repl", "--db", db, "--mode", "csv")
	cmd.Stdin = strings.NewReader(`SELECT strftime(sync_time, '%Y-%m-%dT%H:%M:%SZ') AS t
		FROM (SELECT sync_time FROM stance_sync_run ORDER BY sync_time DESC LIMIT 2) ORDER BY t;`)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("read the sync times: %v", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 3 {
		t.Fatalf("got sync times %q, want a header and two times", lines)
	}
	first, err1 := time.Parse(time.RFC3339, lines[1])
	second, err2 := time.Parse(time.RFC3339, lines[2])
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	return first, second
}

func TestReplAtTimeTravel(t *testing.T) {
	db := demoDatabase(t)
	first, second := syncTimes(t, db)
	between := first.Add(second.Sub(first) / 2).UTC().Format(time.RFC3339)

	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")
	c.typeLine(".mode line")
	query := "SELECT block_public_policy AS blocked FROM aws_s3_bucket WHERE name = 'acme-prod-app-assets';"

	c.typeLine(".at " + between)
	c.expect("stance@" + between + "> ")
	c.typeLine(query)
	c.expect("blocked = true")

	c.typeLine(".at now")
	c.expect("the present")
	c.expect("stance> ")
	c.typeLine(query)
	c.expect("blocked = false")

	c.typeLine(".at 2001-01-01")
	c.expect("stance@2001-01-01T00:00:00Z> ")
	c.typeLine(query)
	c.expect("(0 rows)")

	c.typeLine(".at yesterday-ish")
	c.expect(`invalid time "yesterday-ish"`)
	c.expect("stance@2001-01-01T00:00:00Z> ")

	c.typeLine(".quit")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	c.checkRestored()
}

func TestReplCtrlCCancelsQuery(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")

	// The query runs for hours unless cancelled.
	c.typeLine("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3;")
	// Ctrl-C is a key until the editor hands the terminal back for the
	// query, so it is pressed until the query reports the cancellation.
	deadline := time.Now().Add(expectTimeout)
	for !strings.Contains(c.rest(), "Interrupted") {
		if time.Now().After(deadline) {
			t.Fatalf("the query was not cancelled within %v", expectTimeout)
		}
		c.send("\x03")
		time.Sleep(500 * time.Millisecond)
	}
	c.expect("Interrupted: the query was cancelled.")

	// At the prompt Ctrl-C discards the statement being typed.
	c.typeText("SELECT 'discarded'")
	c.send("\x03")
	c.expect("stance> ")
	c.typeLine("SELECT 'still here' AS session;")
	c.expect("still here")
	c.expect("(1 row)")

	c.send("\x04")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	c.checkRestored()
}

func TestQueryWithoutSQLOpensRepl(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "query", "--db", db, "--format", "csv")
	c.expect("stance> ")
	c.typeLine("SELECT 'from query' AS origin;")
	c.expect("origin")
	c.expect("from query")
	if strings.Contains(c.rest(), "─") {
		t.Errorf("--format csv not kept as the mode:\n%s", c.rest())
	}
	c.send("\x04")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	c.checkRestored()
}

func TestReplRestoresTerminalOnSIGTERM(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")
	c.typeText("SELECT 1")
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := c.wait(); code != 128+int(syscall.SIGTERM) {
		t.Errorf("exit status %d, want %d", code, 128+int(syscall.SIGTERM))
	}
	c.checkRestored()
}

func TestReplHistoryAcrossSessions(t *testing.T) {
	db := demoDatabase(t)
	home := t.TempDir()
	c := startConsole(t, home, nil, "repl", "--db", db)
	c.expect("stance> ")
	c.typeLine("SELECT 'remember ' || 'me' AS note;")
	c.expect("remember me")
	c.typeLine("SELECT 'second' || ' statement' AS other;")
	c.expect("second statement")
	c.send("\x04")
	if code := c.wait(); code != 0 {
		t.Fatalf("exit status %d, want 0", code)
	}

	file := filepath.Join(home, "state", "stance", "history")
	info, err := os.Stat(file)
	if err != nil {
		t.Fatalf("history file: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("history file mode %o, want 600", mode)
	}

	c = startConsole(t, home, nil, "repl", "--db", db)
	c.expect("stance> ")
	c.send("\x1b[A") // Up: the last statement of the previous session
	c.expect("' statement' AS other;")
	c.send("\x1b[A")
	c.expect("'me' AS note;")
	c.send("\r")
	c.expect("remember me")

	// Ctrl-R searches the history backwards.
	c.send("\x12")
	c.typeText("second")
	c.send("\r")
	c.expect("' statement' AS other;")
	c.send("\r")
	c.expect("second statement")

	c.typeLine(".quit")
	if code := c.wait(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
}

func TestReplErrorShowsPosition(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")
	c.typeLine("SELECT name,")
	c.typeLine("  regoin FROM aws_s3_bucket;")
	c.expect("Binder Error")
	c.expect("LINE 2:   regoin FROM aws_s3_bucket")
	c.expect("^")
	c.typeLine("SELECT 'after the error' AS ok;")
	c.expect("after the error")
	c.typeLine(".quit")
	c.wait()
}

func TestReplPagesLongResults(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), []string{"PAGER=sed s/^/PAGED:/"}, "repl", "--db", db)
	c.expect("stance> ")
	c.typeLine("SELECT i FROM range(100) t(i);")
	c.expect("PAGED:99")
	c.expect("PAGED:(100 rows)")
	c.typeLine("SELECT 'short' AS s;")
	c.expect("short")
	if strings.Contains(c.rest(), "PAGED:") {
		t.Errorf("a short result went through the pager:\n%s", c.rest())
	}
	c.typeLine(".quit")
	c.wait()
}

func TestReplFitsWideResults(t *testing.T) {
	db := demoDatabase(t)
	c := startConsole(t, t.TempDir(), nil, "repl", "--db", db)
	c.expect("stance> ")
	c.typeLine("SELECT repeat('x', 70) AS a, repeat('y', 70) AS b;")
	c.expect("(1 row)")
	out := c.output()
	if !strings.Contains(out, "…") {
		t.Errorf("wide result not cut with …:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "xxx") && len([]rune(line)) > 120 {
			t.Errorf("line is %d characters wide on a 120-column terminal: %q", len([]rune(line)), line)
		}
	}
	c.typeLine(".quit")
	c.wait()
}
