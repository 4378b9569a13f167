package emulator

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Static credentials that Config signs with. moto maps an access key it has
// not issued to its default account, 123456789012.
const (
	AccessKeyID     = "testing"
	SecretAccessKey = "testing"
)

// Retry settings of NewRetryer: enough attempts to ride out a few injected
// faults, and backoffs short enough to keep a test fast.
const (
	RetryMaxAttempts = 4
	RetryMaxBackoff  = 20 * time.Millisecond
)

// Config returns an aws.Config that sends every client built from it to
// endpoint, signs with the static test credentials and retries with
// NewRetryer. It reads no environment variable and no shared config file,
// so AWS_PROFILE or AWS_ENDPOINT_URL_* on the developer's machine cannot
// redirect a test. optFns run last and may change any field, for example
// Credentials to act as another access key.
func Config(endpoint, region string, optFns ...func(*aws.Config)) aws.Config {
	cfg := aws.Config{
		Region:       region,
		Credentials:  StaticCredentials(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return NewRetryer() },
	}
	for _, fn := range optFns {
		fn(&cfg)
	}
	return cfg
}

// StaticCredentials returns a cached provider of fixed credentials.
// sessionToken may be empty.
func StaticCredentials(accessKeyID, secretAccessKey, sessionToken string) aws.CredentialsProvider {
	return aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, sessionToken))
}

// NewRetryer returns the SDK's standard retryer with RetryMaxAttempts
// attempts, backoffs capped at RetryMaxBackoff and no retry token bucket.
// The SDK's default bucket would run dry after a few dozen injected faults
// and make later calls fail without retrying, which a test of many faults
// does not want.
func NewRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = RetryMaxAttempts
		o.MaxBackoff = RetryMaxBackoff
		o.RateLimiter = ratelimit.None
	})
}
