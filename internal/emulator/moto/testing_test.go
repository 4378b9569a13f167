package moto

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fakeTB records how requireServer ends a test. Skipf and Fatalf panic with
// errStopped so the caller stops, as the testing package's versions do.
type fakeTB struct {
	testing.TB
	skipped, failed bool
	message         string
}

var errStopped = errors.New("test stopped")

func (f *fakeTB) Helper() {}

func (f *fakeTB) Logf(string, ...any) {}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = true
	f.message = fmt.Sprintf(format, args...)
	panic(errStopped)
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = true
	f.message = fmt.Sprintf(format, args...)
	panic(errStopped)
}

func runRequire(tb *fakeTB, err error) (server *Server) {
	defer func() {
		if r := recover(); r != nil && r != errStopped {
			panic(r)
		}
	}()
	return requireServer(tb, &Server{url: "http://127.0.0.1:1", version: TestedVersion}, err)
}

func TestRequireServerOutcome(t *testing.T) {
	missing := fmt.Errorf("%w for python3: %s", ErrNotInstalled, InstallHint)
	tests := []struct {
		name        string
		ci          string
		err         error
		wantSkip    bool
		wantFail    bool
		wantMessage string
	}{
		{name: "missing locally", ci: "", err: missing, wantSkip: true, wantMessage: "pip install 'moto[server]'"},
		{name: "missing in ci", ci: "true", err: missing, wantFail: true, wantMessage: "required when CI=true"},
		{name: "ci other value", ci: "1", err: missing, wantSkip: true, wantMessage: "pip install"},
		{name: "start error", ci: "", err: errors.New("port in use"), wantFail: true, wantMessage: "port in use"},
		{name: "started", ci: "true", err: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			tb := &fakeTB{}
			server := runRequire(tb, tt.err)
			if tb.skipped != tt.wantSkip {
				t.Errorf("got skipped %v, want %v", tb.skipped, tt.wantSkip)
			}
			if tb.failed != tt.wantFail {
				t.Errorf("got failed %v, want %v", tb.failed, tt.wantFail)
			}
			if !strings.Contains(tb.message, tt.wantMessage) {
				t.Errorf("got message %q, want it to contain %q", tb.message, tt.wantMessage)
			}
			if tt.err == nil && server == nil {
				t.Error("got no server, want the started one")
			}
		})
	}
}
