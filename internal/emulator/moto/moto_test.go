package moto

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stance-cspm/stance/internal/awsopts"
	"github.com/stance-cspm/stance/internal/emulator"
)

func TestMain(m *testing.M) { os.Exit(RunTests(m)) }

func TestResetClearsState(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	client := s3.NewFromConfig(srv.AWSConfig(ctx, "us-east-1"), awsopts.S3PathStyle)

	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("reset-me")}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	before, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	if len(before.Buckets) == 0 {
		t.Fatalf("got 0 buckets after CreateBucket, want at least 1")
	}

	if err := srv.Reset(); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	after, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets after Reset: %v", err)
	}
	if len(after.Buckets) != 0 {
		t.Errorf("got %d buckets after Reset, want 0", len(after.Buckets))
	}
}

func TestAssumeRoleOtherAccount(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	cfg := srv.AWSConfig(ctx, "us-east-1")
	client := sts.NewFromConfig(cfg)

	self, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if got := aws.ToString(self.Account); got != emulator.DefaultAccountID {
		t.Errorf("got caller account %q, want %q", got, emulator.DefaultAccountID)
	}

	const roleARN = "arn:aws:iam::222233334444:role/stance-audit"
	assumed, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("stance")})
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", roleARN, err)
	}
	creds := assumed.Credentials
	roleCfg := srv.AWSConfig(ctx, "us-east-1")
	roleCfg.Credentials = emulator.StaticCredentials(aws.ToString(creds.AccessKeyId), aws.ToString(creds.SecretAccessKey), aws.ToString(creds.SessionToken))

	other, err := sts.NewFromConfig(roleCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity as %s: %v", roleARN, err)
	}
	if got := aws.ToString(other.Account); got != "222233334444" {
		t.Errorf("got assumed-role account %q, want 222233334444", got)
	}
}

func TestServerCloseStopsProcess(t *testing.T) {
	Start(t) // skips or fails the test the same way when moto is missing
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := StartServer(ctx, Options{})
	if err != nil {
		t.Fatalf("StartServer: %v", err)
	}
	if err := srv.Reset(); err != nil {
		t.Fatalf("Reset on a fresh server: %v", err)
	}

	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	select {
	case <-srv.exited:
	default:
		t.Fatal("got a running process after Close, want it exited")
	}
	resp, err := http.Get(srv.URL() + "/moto-api/")
	if err == nil {
		resp.Body.Close()
		t.Errorf("got HTTP %d from %s after Close, want a connection error", resp.StatusCode, srv.URL())
	}
}

func TestCheckInstalledMissingPython(t *testing.T) {
	_, err := CheckInstalled(context.Background(), "/nonexistent/python3")
	if !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("got error %v, want ErrNotInstalled", err)
	}
	if got := err.Error(); !strings.Contains(got, "pip install 'moto[server]'") {
		t.Errorf("got message %q, want it to name pip install 'moto[server]'", got)
	}
}
