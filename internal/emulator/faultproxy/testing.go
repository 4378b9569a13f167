package faultproxy

import (
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stance-cspm/stance/internal/emulator"
)

// Server is a Proxy listening on 127.0.0.1 for the length of a test.
type Server struct {
	*Proxy
	http *httptest.Server
}

// Start starts a proxy to target on a free port of 127.0.0.1 and closes it
// when t ends.
func Start(t testing.TB, target string, opts Options) *Server {
	t.Helper()
	p, err := New(target, opts)
	if err != nil {
		t.Fatalf("start fault proxy: %v", err)
	}
	s := &Server{Proxy: p, http: httptest.NewServer(p)}
	t.Cleanup(s.http.Close)
	return s
}

// URL returns the proxy's base URL, such as http://127.0.0.1:41234.
func (s *Server) URL() string { return s.http.URL }

// AWSConfig returns an aws.Config for region whose clients send requests
// through the proxy, as emulator.Config describes. optFns run last.
func (s *Server) AWSConfig(region string, optFns ...func(*aws.Config)) aws.Config {
	return emulator.Config(s.URL(), region, optFns...)
}
