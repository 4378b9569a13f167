package awsopts

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/smithy-go"

	"github.com/stance-cspm/stance/internal/emulator"
)

// recorded is what the test backend saw of one request.
type recorded struct {
	method, host, path, contentType, accountHeader, body string
}

// newBackend starts an HTTP server that records each request and responds
// with status and body.
func newBackend(t *testing.T, status int, body string) (*httptest.Server, func() []recorded) {
	t.Helper()
	var mu sync.Mutex
	var seen []recorded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, recorded{
			method:        r.Method,
			host:          r.Host,
			path:          r.URL.Path,
			contentType:   r.Header.Get("Content-Type"),
			accountHeader: r.Header.Get("X-Amz-Account-Id"),
			body:          string(b),
		})
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []recorded {
		mu.Lock()
		defer mu.Unlock()
		return append([]recorded(nil), seen...)
	}
}

func TestS3PathStyle(t *testing.T) {
	tests := []struct {
		name     string
		endpoint *string
		want     bool
	}{
		{name: "custom endpoint", endpoint: aws.String("http://127.0.0.1:4566"), want: true},
		{name: "no endpoint", endpoint: nil, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := s3.Options{BaseEndpoint: tt.endpoint}
			S3PathStyle(&o)
			if o.UsePathStyle != tt.want {
				t.Errorf("got UsePathStyle %v, want %v", o.UsePathStyle, tt.want)
			}
		})
	}
}

func TestS3PathStyleRequest(t *testing.T) {
	const listing = `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>logs</Name><KeyCount>0</KeyCount></ListBucketResult>`
	srv, seen := newBackend(t, http.StatusOK, listing)
	endpoint := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	client := s3.NewFromConfig(emulator.Config(endpoint, "us-east-1"), S3PathStyle)

	if _, err := client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("logs")}); err != nil {
		t.Fatalf("ListObjectsV2: %v", err)
	}
	requests := seen()
	if len(requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(requests))
	}
	wantHost := strings.TrimPrefix(endpoint, "http://")
	if requests[0].host != wantHost {
		t.Errorf("got host %q, want %q", requests[0].host, wantHost)
	}
	if requests[0].path != "/logs" {
		t.Errorf("got path %q, want /logs", requests[0].path)
	}
}

// TestS3PathStyleResolver pins the SDK behavior that S3PathStyle changes:
// virtual-hosted addressing for a named endpoint host, path style for an IP.
func TestS3PathStyleResolver(t *testing.T) {
	tests := []struct {
		name      string
		endpoint  string
		pathStyle bool
		wantHost  string
		wantPath  string
	}{
		{name: "host name virtual", endpoint: "http://localhost:4566", pathStyle: false, wantHost: "logs.localhost:4566", wantPath: ""},
		{name: "host name path style", endpoint: "http://localhost:4566", pathStyle: true, wantHost: "localhost:4566", wantPath: "/logs"},
		{name: "ip address", endpoint: "http://127.0.0.1:4566", pathStyle: false, wantHost: "127.0.0.1:4566", wantPath: "/logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := s3.EndpointParameters{
				Bucket:         aws.String("logs"),
				Region:         aws.String("us-east-1"),
				Endpoint:       aws.String(tt.endpoint),
				ForcePathStyle: aws.Bool(tt.pathStyle),
				UseFIPS:        aws.Bool(false),
				UseDualStack:   aws.Bool(false),
				Accelerate:     aws.Bool(false),
			}
			endpoint, err := s3.NewDefaultEndpointResolverV2().ResolveEndpoint(context.Background(), params)
			if err != nil {
				t.Fatalf("ResolveEndpoint: %v", err)
			}
			if endpoint.URI.Host != tt.wantHost {
				t.Errorf("got host %q, want %q", endpoint.URI.Host, tt.wantHost)
			}
			if endpoint.URI.Path != tt.wantPath {
				t.Errorf("got path %q, want %q", endpoint.URI.Path, tt.wantPath)
			}
		})
	}
}

func TestS3ControlKeepHostRequest(t *testing.T) {
	const pab = `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls></PublicAccessBlockConfiguration>`
	srv, seen := newBackend(t, http.StatusOK, pab)
	client := s3control.NewFromConfig(emulator.Config(srv.URL, "us-east-1"), S3ControlKeepHost)

	out, err := client.GetPublicAccessBlock(context.Background(), &s3control.GetPublicAccessBlockInput{AccountId: aws.String("111122223333")})
	if err != nil {
		t.Fatalf("GetPublicAccessBlock: %v", err)
	}
	if got := aws.ToBool(out.PublicAccessBlockConfiguration.BlockPublicAcls); !got {
		t.Errorf("got BlockPublicAcls %v, want true", got)
	}
	requests := seen()
	if len(requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(requests))
	}
	r := requests[0]
	if want := strings.TrimPrefix(srv.URL, "http://"); r.host != want {
		t.Errorf("got host %q, want %q", r.host, want)
	}
	if r.path != "/v20180820/configuration/publicAccessBlock" {
		t.Errorf("got path %q, want /v20180820/configuration/publicAccessBlock", r.path)
	}
	if r.accountHeader != "111122223333" {
		t.Errorf("got x-amz-account-id %q, want 111122223333", r.accountHeader)
	}
}

// TestS3ControlDefaultResolverPrefix pins the SDK behavior that
// S3ControlKeepHost undoes. If it fails, the SDK stopped prefixing the host
// and the option may be unnecessary.
func TestS3ControlDefaultResolverPrefix(t *testing.T) {
	params := s3control.EndpointParameters{
		Region:            aws.String("us-east-1"),
		Endpoint:          aws.String("http://127.0.0.1:4566"),
		AccountId:         aws.String("111122223333"),
		RequiresAccountId: aws.Bool(true),
		UseFIPS:           aws.Bool(false),
		UseDualStack:      aws.Bool(false),
	}
	tests := []struct {
		name     string
		resolver s3control.EndpointResolverV2
		wantHost string
	}{
		{name: "sdk default", resolver: s3control.NewDefaultEndpointResolverV2(), wantHost: "111122223333.127.0.0.1:4566"},
		{name: "keep host", resolver: keepHostResolver{next: s3control.NewDefaultEndpointResolverV2()}, wantHost: "127.0.0.1:4566"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			endpoint, err := tt.resolver.ResolveEndpoint(context.Background(), params)
			if err != nil {
				t.Fatalf("ResolveEndpoint: %v", err)
			}
			if endpoint.URI.Host != tt.wantHost {
				t.Errorf("got host %q, want %q", endpoint.URI.Host, tt.wantHost)
			}
		})
	}
}

func TestS3ControlKeepHostWithoutEndpoint(t *testing.T) {
	o := s3control.Options{}
	S3ControlKeepHost(&o)
	if o.EndpointResolverV2 != nil {
		t.Errorf("got resolver %T, want none set without a custom endpoint", o.EndpointResolverV2)
	}
}

func TestCloudWatchQueryProtocolRequest(t *testing.T) {
	const alarms = `<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <DescribeAlarmsResult>
    <MetricAlarms><member><AlarmName>cpu-high</AlarmName><StateValue>ALARM</StateValue></member></MetricAlarms>
  </DescribeAlarmsResult>
  <ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>
</DescribeAlarmsResponse>`
	srv, seen := newBackend(t, http.StatusOK, alarms)
	client := cloudwatch.NewFromConfig(emulator.Config(srv.URL, "us-east-1"), CloudWatchQueryProtocol)

	out, err := client.DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{AlarmNamePrefix: aws.String("cpu")})
	if err != nil {
		t.Fatalf("DescribeAlarms: %v", err)
	}
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("got %d alarms, want 1", len(out.MetricAlarms))
	}
	if got := aws.ToString(out.MetricAlarms[0].AlarmName); got != "cpu-high" {
		t.Errorf("got alarm name %q, want cpu-high", got)
	}
	if got := string(out.MetricAlarms[0].StateValue); got != "ALARM" {
		t.Errorf("got state %q, want ALARM", got)
	}

	requests := seen()
	if len(requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(requests))
	}
	if !strings.HasPrefix(requests[0].contentType, "application/x-www-form-urlencoded") {
		t.Errorf("got Content-Type %q, want application/x-www-form-urlencoded", requests[0].contentType)
	}
	form, err := url.ParseQuery(requests[0].body)
	if err != nil {
		t.Fatalf("parse request body %q: %v", requests[0].body, err)
	}
	for name, want := range map[string]string{"Action": "DescribeAlarms", "Version": "2010-08-01", "AlarmNamePrefix": "cpu"} {
		if got := form.Get(name); got != want {
			t.Errorf("got form %s=%q, want %q", name, got, want)
		}
	}
}

func TestCloudWatchQueryProtocolError(t *testing.T) {
	const denied = `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r2</RequestId></ErrorResponse>`
	srv, _ := newBackend(t, http.StatusForbidden, denied)
	client := cloudwatch.NewFromConfig(emulator.Config(srv.URL, "us-east-1"), CloudWatchQueryProtocol)

	_, err := client.DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("got error %v, want a smithy.APIError", err)
	}
	if apiErr.ErrorCode() != "AccessDenied" {
		t.Errorf("got error code %q, want AccessDenied", apiErr.ErrorCode())
	}
}
