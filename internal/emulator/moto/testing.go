package moto

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"
)

// shared is the package-wide server that Start returns.
var shared struct {
	once   sync.Once
	server *Server
	err    error
}

// Start returns the moto server shared by every test of the test binary,
// starting it on the first call. It does not reset the server, so a test
// that needs an empty cloud calls Reset first and must not run in parallel
// with other tests that use moto.
//
// When moto is not installed, Start skips the test with a hint on how to
// install it, unless the environment variable CI is "true": then it fails
// the test, so CI cannot pass while skipping every moto test. Any other
// start error fails the test.
func Start(t testing.TB) *Server {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared.server, shared.err = StartServer(ctx, Options{})
	})

	return requireServer(t, shared.server, shared.err)
}

// requireServer skips or fails t according to the start result, or returns
// server.
func requireServer(t testing.TB, server *Server, err error) *Server {
	t.Helper()
	switch {
	case errors.Is(err, ErrNotInstalled) && os.Getenv("CI") == "true":
		t.Fatalf("moto is required when CI=true: %v", err)
	case errors.Is(err, ErrNotInstalled):
		t.Skipf("skip: %v", err)
	case err != nil:
		t.Fatalf("start moto: %v", err)
	}
	if server.Version() != TestedVersion {
		t.Logf("moto %s is installed, but this package documents the behavior of moto %s", server.Version(), TestedVersion)
	}
	return server
}

// RunTests runs the tests of m and then stops the shared server, if Start
// started one. Call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(moto.RunTests(m)) }
//
// Without it, moto still exits when the test binary does, because it
// watches its standard input.
func RunTests(m *testing.M) int {
	code := m.Run()
	if shared.server != nil {
		if err := shared.server.Close(); err != nil {
			os.Stderr.WriteString("stop moto: " + err.Error() + "\n")
		}
	}
	return code
}
