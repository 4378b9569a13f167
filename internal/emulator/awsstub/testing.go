package awsstub

import (
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stance-cspm/stance/internal/emulator"
)

// TestServer is a stub listening on 127.0.0.1 for the length of a test.
type TestServer struct {
	*Server
	http *httptest.Server
}

// Start starts a stub on a free port of 127.0.0.1 with the given data and
// closes it when t ends. It fails t on invalid data.
func Start(t testing.TB, opts Options, data ...RegionData) *TestServer {
	t.Helper()
	s := New(opts)
	for _, d := range data {
		if err := s.Set(d); err != nil {
			t.Fatalf("start awsstub: %v", err)
		}
	}
	ts := &TestServer{Server: s, http: httptest.NewServer(s)}
	t.Cleanup(ts.http.Close)
	return ts
}

// URL returns the stub's base URL, such as http://127.0.0.1:41234.
func (ts *TestServer) URL() string { return ts.http.URL }

// AWSConfig returns an aws.Config for region whose clients send requests to
// the stub, as emulator.Config describes. optFns run last.
func (ts *TestServer) AWSConfig(region string, optFns ...func(*aws.Config)) aws.Config {
	return emulator.Config(ts.URL(), region, optFns...)
}
