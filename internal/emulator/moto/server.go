package moto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stance-cspm/stance/internal/emulator"
)

// TestedVersion is the moto release whose behavior this package documents.
const TestedVersion = "5.2.1"

// InstallHint is the command that installs moto, for error messages.
const InstallHint = "install it with: python3 -m pip install 'moto[server]'"

// ErrNotInstalled is returned by CheckInstalled and StartServer when python3
// cannot import moto's server module.
var ErrNotInstalled = errors.New("moto is not installed")

// Options configures StartServer. The zero value is ready to use.
type Options struct {
	// Python is the interpreter that runs moto. Empty means "python3" from
	// PATH.
	Python string
	// Env holds extra KEY=value pairs for moto's environment, after the
	// ones this package sets.
	Env []string
	// StartTimeout bounds the wait for moto's first response. Zero
	// means 60s.
	StartTimeout time.Duration
}

// Server is a running moto process listening on 127.0.0.1.
type Server struct {
	url     string
	version string
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	output  *tailBuffer
	exited  chan struct{} // closed when the process has exited
	client  *http.Client

	closeOnce sync.Once
	closeErr  error
}

// startAttempts bounds the retries when another process takes the chosen
// port between the moment this package frees it and moto binds it.
const startAttempts = 3

// watchdog is the Python program that runs moto. A thread waits for end of
// file on standard input, which arrives when Close closes the pipe or when
// the Go process dies, and then ends moto, so no moto outlives its test
// binary.
const watchdog = `import os, sys, threading
def watch():
    sys.stdin.read()
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(sys.argv[1:])
`

// CheckInstalled returns moto's version when python can import moto's server
// module, and an error wrapping ErrNotInstalled otherwise. An empty python
// means "python3".
func CheckInstalled(ctx context.Context, python string) (string, error) {
	if python == "" {
		python = "python3"
	}
	out, err := exec.CommandContext(ctx, python, "-c", "import moto, moto.server; print(moto.__version__)").CombinedOutput()
	if err != nil {
		detail := strings.TrimSpace(string(out))
		if detail == "" {
			detail = err.Error()
		}
		return "", fmt.Errorf("%w for %s (%s): %s", ErrNotInstalled, python, lastLine(detail), InstallHint)
	}
	return strings.TrimSpace(string(out)), nil
}

// StartServer starts moto on a free port of 127.0.0.1 and waits until it
// responds. The caller must call Close. ctx bounds only the start: the
// server keeps running after ctx ends.
func StartServer(ctx context.Context, opts Options) (*Server, error) {
	if opts.Python == "" {
		opts.Python = "python3"
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 60 * time.Second
	}
	version, err := CheckInstalled(ctx, opts.Python)
	if err != nil {
		return nil, err
	}

	var lastErr error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		s, err := startOnce(ctx, opts)
		if err == nil {
			s.version = version
			return s, nil
		}
		lastErr = err
		if !errors.Is(err, errExitedEarly) || ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

var errExitedEarly = errors.New("moto exited before it responded")

func startOnce(ctx context.Context, opts Options) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}

	cmd := exec.Command(opts.Python, "-c", watchdog, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(environWithout("MOTO_ACCOUNT_ID", "MOTO_PORT"),
		"MOTO_EC2_LOAD_DEFAULT_AMIS=false",
		// Unbuffered output lets a start error show moto's last lines.
		"PYTHONUNBUFFERED=1",
	)
	cmd.Env = append(cmd.Env, opts.Env...)
	output := newTailBuffer(16 << 10)
	cmd.Stdout = output
	cmd.Stderr = output
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start moto: open stdin pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto with %s: %w", opts.Python, err)
	}

	s := &Server{
		url:    "http://127.0.0.1:" + strconv.Itoa(port),
		cmd:    cmd,
		stdin:  stdin,
		output: output,
		exited: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second},
	}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()

	if err := s.waitReady(ctx, opts.StartTimeout); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// waitReady polls moto's dashboard page until it returns 200.
func (s *Server) waitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/moto-api/", nil)
		if err != nil {
			return fmt.Errorf("wait for moto: %w", err)
		}
		resp, err := s.client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}

		select {
		case <-s.exited:
			return fmt.Errorf("%w at %s; output:\n%s", errExitedEarly, s.url, s.output.String())
		case <-ctx.Done():
			return fmt.Errorf("wait for moto at %s: no response within %s: %w; output:\n%s", s.url, timeout, ctx.Err(), s.output.String())
		case <-ticker.C:
		}
	}
}

// URL returns the server's base URL, such as http://127.0.0.1:41234.
func (s *Server) URL() string { return s.url }

// Version returns the version of the running moto, such as "5.2.1".
func (s *Server) Version() string { return s.version }

// Output returns the last 16 KiB that moto wrote to stdout and stderr.
func (s *Server) Output() string { return s.output.String() }

// Reset clears every moto backend through POST /moto-api/reset, so the next
// test starts from an empty cloud.
func (s *Server) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/moto-api/reset", nil)
	if err != nil {
		return fmt.Errorf("reset moto: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("reset moto at %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reset moto at %s: got HTTP %d: %s", s.url, resp.StatusCode, body)
	}
	return nil
}

// AWSConfig returns an aws.Config for region whose clients send requests to
// this server, as emulator.Config describes. ctx is not used yet, and the
// parameter lets a later version load settings without changing callers.
func (s *Server) AWSConfig(ctx context.Context, region string) aws.Config {
	return emulator.Config(s.url, region)
}

// Close stops moto and waits up to 10 seconds for it to exit before killing
// it. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		_ = s.stdin.Close()
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			if err := s.cmd.Process.Kill(); err != nil {
				s.closeErr = fmt.Errorf("kill moto (pid %d): %w", s.cmd.Process.Pid, err)
			}
			<-s.exited
		}
	})
	return s.closeErr
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// environWithout returns the process environment minus the named variables.
// MOTO_ACCOUNT_ID would pin every request to one account and break the
// access-key mapping that multi-account tests rely on.
func environWithout(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			if name == n {
				drop = true
			}
		}
		if !drop {
			env = append(env, kv)
		}
	}
	return env
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
