package faultproxy

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/stance-cspm/stance/internal/awsopts"
	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/moto"
)

func TestMain(m *testing.M) { os.Exit(moto.RunTests(m)) }

// protocolCase is one SDK call per protocol, made through the proxy to moto.
type protocolCase struct {
	name          string
	service       string // signing name, or ServiceS3Control
	operation     string // as the proxy names it
	call          func(ctx context.Context, cfg aws.Config) error
	wantThrottle  string
	wantDenied    string
	wantServerErr string
}

func protocolCases() []protocolCase {
	return []protocolCase{
		{
			name: "awsQuery iam", service: "iam", operation: "ListRoles",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := iam.NewFromConfig(cfg).ListRoles(ctx, &iam.ListRolesInput{})
				return err
			},
			wantThrottle: "Throttling", wantDenied: "AccessDenied", wantServerErr: "InternalFailure",
		},
		{
			name: "awsQuery cloudwatch", service: "monitoring", operation: "DescribeAlarms",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := cloudwatch.NewFromConfig(cfg, awsopts.CloudWatchQueryProtocol).DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{})
				return err
			},
			wantThrottle: "Throttling", wantDenied: "AccessDenied", wantServerErr: "InternalFailure",
		},
		{
			name: "awsJson schema serde kms", service: "kms", operation: "ListKeys",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
				return err
			},
			wantThrottle: "ThrottlingException", wantDenied: "AccessDeniedException", wantServerErr: "InternalFailure",
		},
		{
			name: "awsJson generated cloudtrail", service: "cloudtrail", operation: "DescribeTrails",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := cloudtrail.NewFromConfig(cfg).DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{})
				return err
			},
			wantThrottle: "ThrottlingException", wantDenied: "AccessDeniedException", wantServerErr: "InternalFailure",
		},
		{
			name: "ec2Query", service: "ec2", operation: "DescribeVpcs",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
				return err
			},
			wantThrottle: "RequestLimitExceeded", wantDenied: "UnauthorizedOperation", wantServerErr: "InternalError",
		},
		{
			name: "restXml s3", service: "s3", operation: "GET /",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := s3.NewFromConfig(cfg, awsopts.S3PathStyle).ListBuckets(ctx, &s3.ListBucketsInput{})
				return err
			},
			wantThrottle: "SlowDown", wantDenied: "AccessDenied", wantServerErr: "InternalError",
		},
		{
			name: "restXml s3control", service: ServiceS3Control, operation: "GET /v20180820/configuration/publicAccessBlock",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := s3control.NewFromConfig(cfg, awsopts.S3ControlKeepHost).GetPublicAccessBlock(ctx,
					&s3control.GetPublicAccessBlockInput{AccountId: aws.String(emulator.DefaultAccountID)})
				var apiErr smithy.APIError
				if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchPublicAccessBlockConfiguration" {
					return nil // moto's response for an account without a block
				}
				return err
			},
			wantThrottle: "SlowDown", wantDenied: "AccessDenied", wantServerErr: "InternalError",
		},
		{
			name: "restJson schema serde guardduty", service: "guardduty", operation: "GET /detector",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := guardduty.NewFromConfig(cfg).ListDetectors(ctx, &guardduty.ListDetectorsInput{})
				return err
			},
			wantThrottle: "ThrottlingException", wantDenied: "AccessDeniedException", wantServerErr: "InternalFailure",
		},
		{
			name: "restJson generated efs", service: "elasticfilesystem", operation: "GET /2015-02-01/file-systems",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := efs.NewFromConfig(cfg).DescribeFileSystems(ctx, &efs.DescribeFileSystemsInput{})
				return err
			},
			wantThrottle: "ThrottlingException", wantDenied: "AccessDeniedException", wantServerErr: "InternalFailure",
		},
		{
			name: "restJson generated securityhub", service: "securityhub", operation: "GET /accounts",
			call: func(ctx context.Context, cfg aws.Config) error {
				_, err := securityhub.NewFromConfig(cfg).DescribeHub(ctx, &securityhub.DescribeHubInput{})
				var apiErr smithy.APIError
				if errors.As(err, &apiErr) && apiErr.ErrorCode() == "InvalidAccessException" {
					return nil // moto's response while Security Hub is not enabled
				}
				return err
			},
			wantThrottle: "ThrottlingException", wantDenied: "AccessDeniedException", wantServerErr: "InternalFailure",
		},
	}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func TestProtocolsThroughMoto(t *testing.T) {
	backend := moto.Start(t)
	proxy := Start(t, backend.URL(), Options{})
	ctx := context.Background()
	cfg := proxy.AWSConfig("us-east-1")

	for _, tc := range protocolCases() {
		t.Run(tc.name, func(t *testing.T) {
			defer proxy.ClearRules()
			match := Match{Service: tc.service, Operation: tc.operation}

			// The call works through the proxy and is recorded once.
			proxy.ResetCalls()
			if err := tc.call(ctx, cfg); err != nil {
				t.Fatalf("call without rules: %v", err)
			}
			if got := proxy.Count(match); got != 1 {
				t.Fatalf("got %d recorded calls for %+v, want 1 (calls: %+v)", got, match, proxy.Calls())
			}

			// Two throttles, then the SDK's retryer gets through.
			throttle := proxy.MustAddRule(Rule{Match: match, Fault: FaultThrottle, Times: 2})
			if err := tc.call(ctx, cfg); err != nil {
				t.Errorf("call after 2 throttles: got %v, want success on the third attempt", err)
			}
			if got := throttle.Injected(); got != 2 {
				t.Errorf("got %d throttles injected, want 2", got)
			}
			if got := throttle.Hits(); got != 3 {
				t.Errorf("got %d throttle rule hits, want 3", got)
			}
			proxy.ClearRules()

			// More throttles than attempts: the caller sees the code.
			proxy.MustAddRule(Rule{Match: match, Fault: FaultThrottle})
			err := tc.call(ctx, cfg)
			if got := errorCode(err); got != tc.wantThrottle {
				t.Errorf("throttled call: got code %q (%v), want %q", got, err, tc.wantThrottle)
			}
			proxy.ClearRules()

			// Access denied is not retried.
			denied := proxy.MustAddRule(Rule{Match: match, Fault: FaultAccessDenied})
			err = tc.call(ctx, cfg)
			if got := errorCode(err); got != tc.wantDenied {
				t.Errorf("denied call: got code %q (%v), want %q", got, err, tc.wantDenied)
			}
			if got := denied.Injected(); got != 1 {
				t.Errorf("got %d access-denied responses, want 1 because the SDK does not retry them", got)
			}
			proxy.ClearRules()

			// Server errors are retried until the attempts run out.
			proxy.ResetCalls()
			failing := proxy.MustAddRule(Rule{Match: match, Fault: FaultServerError, Times: 100})
			err = tc.call(ctx, cfg)
			if got := errorCode(err); got != tc.wantServerErr {
				t.Errorf("server-error call: got code %q (%v), want %q", got, err, tc.wantServerErr)
			}
			if got := failing.Injected(); got != emulator.RetryMaxAttempts {
				t.Errorf("got %d server errors injected, want %d, one per attempt", got, emulator.RetryMaxAttempts)
			}
			if got := proxy.Count(match); got != emulator.RetryMaxAttempts {
				t.Errorf("got %d recorded calls, want %d", got, emulator.RetryMaxAttempts)
			}
		})
	}
}

func TestLatencyThroughMoto(t *testing.T) {
	backend := moto.Start(t)
	proxy := Start(t, backend.URL(), Options{})
	ctx := context.Background()
	client := sts.NewFromConfig(proxy.AWSConfig("us-east-1"))
	const latency = 150 * time.Millisecond

	slow := proxy.MustAddRule(Rule{Match: Match{Service: "sts", Operation: "GetCallerIdentity"}, Latency: Duration(latency)})
	other := proxy.MustAddRule(Rule{Match: Match{Service: "iam"}, Latency: Duration(time.Hour)})

	for i := range 2 {
		start := time.Now()
		if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
			t.Fatalf("GetCallerIdentity %d: %v", i+1, err)
		}
		if elapsed := time.Since(start); elapsed < latency {
			t.Errorf("call %d took %s, want at least %s", i+1, elapsed, latency)
		}
	}
	if got := slow.Hits(); got != 2 {
		t.Errorf("got %d latency rule hits, want 2", got)
	}
	if got := other.Hits(); got != 0 {
		t.Errorf("got %d hits on the iam rule, want 0", got)
	}
}

func TestAssumedRoleAccountThroughMoto(t *testing.T) {
	backend := moto.Start(t)
	proxy := Start(t, backend.URL(), Options{})
	ctx := context.Background()
	const otherAccount = "222233334444"

	// Deny sts in the other account only.
	denied := proxy.MustAddRule(Rule{Match: Match{Account: otherAccount, Service: "sts", Operation: "GetCallerIdentity"}, Fault: FaultAccessDenied})

	client := sts.NewFromConfig(proxy.AWSConfig("us-east-1"))
	if _, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity in the default account: %v", err)
	}
	assumed, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::" + otherAccount + ":role/stance-audit"),
		RoleSessionName: aws.String("stance"),
	})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}

	creds := assumed.Credentials
	roleCfg := proxy.AWSConfig("us-east-1", func(c *aws.Config) {
		c.Credentials = emulator.StaticCredentials(aws.ToString(creds.AccessKeyId), aws.ToString(creds.SecretAccessKey), aws.ToString(creds.SessionToken))
	})
	_, err = sts.NewFromConfig(roleCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if got := errorCode(err); got != "AccessDenied" {
		t.Errorf("GetCallerIdentity in %s: got code %q (%v), want AccessDenied", otherAccount, got, err)
	}
	if got := denied.Injected(); got != 1 {
		t.Errorf("got %d denials, want 1", got)
	}
	if got := proxy.Count(Match{Account: otherAccount}); got != 1 {
		t.Errorf("got %d calls recorded for %s, want 1", got, otherAccount)
	}
}

func TestQueryMatchThroughMoto(t *testing.T) {
	backend := moto.Start(t)
	proxy := Start(t, backend.URL(), Options{})
	ctx := context.Background()
	client := s3.NewFromConfig(proxy.AWSConfig("us-east-1"), awsopts.S3PathStyle)
	bucket := aws.String("faultproxy-query")

	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	proxy.MustAddRule(Rule{Match: Match{Service: "s3", Operation: "GET /*", Query: "policy"}, Fault: FaultAccessDenied})

	_, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bucket})
	if got := errorCode(err); got != "AccessDenied" {
		t.Errorf("GetBucketPolicy: got code %q (%v), want AccessDenied", got, err)
	}
	if _, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bucket}); err != nil {
		t.Errorf("ListObjectsV2: got %v, want success because it has no policy parameter", err)
	}
}
