package moto

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/stance-cspm/stance/internal/awsopts"
)

// The tests in this file pin the moto 5.2.1 gaps listed in the package
// documentation. When one of them fails after a moto upgrade, update the
// documentation and the workaround.

func httpStatus(err error) int {
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		return respErr.HTTPStatusCode()
	}
	return 0
}

func TestGapAccessAnalyzerMissing(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	client := accessanalyzer.NewFromConfig(srv.AWSConfig(ctx, "us-east-1"), func(o *accessanalyzer.Options) { o.RetryMaxAttempts = 1 })

	_, err := client.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})
	if err == nil {
		t.Fatal("ListAnalyzers: got no error, want HTTP 500 from moto, which lacks Access Analyzer")
	}
	if got := httpStatus(err); got != http.StatusInternalServerError {
		t.Errorf("ListAnalyzers: got HTTP %d (%v), want 500", got, err)
	}
}

func TestGapSecurityHubEnabledStandards(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	client := securityhub.NewFromConfig(srv.AWSConfig(ctx, "us-east-1"))

	if _, err := client.EnableSecurityHub(ctx, &securityhub.EnableSecurityHubInput{}); err != nil {
		t.Fatalf("EnableSecurityHub: %v", err)
	}
	if _, err := client.DescribeHub(ctx, &securityhub.DescribeHubInput{}); err != nil {
		t.Errorf("DescribeHub: got %v, want success", err)
	}
	_, err := client.GetEnabledStandards(ctx, &securityhub.GetEnabledStandardsInput{})
	if got := httpStatus(err); got != http.StatusNotFound {
		t.Errorf("GetEnabledStandards: got HTTP %d (%v), want 404", got, err)
	}
}

func TestGapCloudWatchProtocol(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	cfg := srv.AWSConfig(ctx, "us-east-1")

	cbor := cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) { o.RetryMaxAttempts = 1 })
	if _, err := cbor.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{}); err == nil {
		t.Error("DescribeAlarms over CBOR: got no error, want moto to reject the protocol")
	}

	query := cloudwatch.NewFromConfig(cfg, awsopts.CloudWatchQueryProtocol)
	_, err := query.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String("root-login"),
		MetricName:         aws.String("RootLogin"),
		Namespace:          aws.String("CISBenchmark"),
		Statistic:          cwtypes.StatisticSum,
		Period:             aws.Int32(300),
		EvaluationPeriods:  aws.Int32(1),
		Threshold:          aws.Float64(1),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
		AlarmActions:       []string{"arn:aws:sns:us-east-1:123456789012:alerts"},
	})
	if err != nil {
		t.Fatalf("PutMetricAlarm over awsQuery: %v", err)
	}
	out, err := query.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"root-login"}})
	if err != nil {
		t.Fatalf("DescribeAlarms over awsQuery: %v", err)
	}
	if len(out.MetricAlarms) != 1 {
		t.Fatalf("got %d alarms, want 1", len(out.MetricAlarms))
	}
	alarm := out.MetricAlarms[0]
	if got := aws.ToString(alarm.MetricName); got != "RootLogin" {
		t.Errorf("got metric %q, want RootLogin", got)
	}
	if got := alarm.AlarmActions; len(got) != 1 || got[0] != "arn:aws:sns:us-east-1:123456789012:alerts" {
		t.Errorf("got alarm actions %v, want the SNS topic", got)
	}
}

func TestGapS3ControlHost(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	cfg := srv.AWSConfig(ctx, "us-east-1")
	const account = "123456789012"

	plain := s3control.NewFromConfig(cfg, func(o *s3control.Options) { o.RetryMaxAttempts = 1 })
	if _, err := plain.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(account)}); err == nil {
		t.Error("GetPublicAccessBlock without S3ControlKeepHost: got no error, want the account-prefixed host to fail")
	}

	client := s3control.NewFromConfig(cfg, awsopts.S3ControlKeepHost)
	_, err := client.PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{
		AccountId: aws.String(account),
		PublicAccessBlockConfiguration: &s3ctypes.PublicAccessBlockConfiguration{
			BlockPublicAcls:       aws.Bool(true),
			IgnorePublicAcls:      aws.Bool(true),
			BlockPublicPolicy:     aws.Bool(false),
			RestrictPublicBuckets: aws.Bool(true),
		},
	})
	if err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
	out, err := client.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(account)})
	if err != nil {
		t.Fatalf("GetPublicAccessBlock: %v", err)
	}
	got := out.PublicAccessBlockConfiguration
	if !aws.ToBool(got.BlockPublicAcls) {
		t.Errorf("got BlockPublicAcls false, want true")
	}
	if aws.ToBool(got.BlockPublicPolicy) {
		t.Errorf("got BlockPublicPolicy true, want false")
	}
}

func TestGapS3PathStyle(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	cfg := srv.AWSConfig(ctx, "us-east-1")

	client := s3.NewFromConfig(cfg, awsopts.S3PathStyle)
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("path-style")}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("path-style")}); err != nil {
		t.Errorf("HeadBucket: got %v, want the bucket to exist", err)
	}
}
