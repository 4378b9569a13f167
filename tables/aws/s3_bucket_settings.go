package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stance-cspm/stance/tables"
)

func readBucketEncryption(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"ServerSideEncryptionConfigurationNotFoundError"})
	if err != nil {
		return fmt.Errorf("get encryption of bucket %q: %w", bucket, err)
	}
	if outcome != detailFound || out.ServerSideEncryptionConfiguration == nil {
		return nil
	}
	cfg := out.ServerSideEncryptionConfiguration
	raw.ServerSideEncryptionConfiguration = cfg
	rec["server_side_encryption"] = cfg.Rules

	// S3 keeps one rule per bucket, so the first default wins.
	for _, rule := range cfg.Rules {
		if def := rule.ApplyServerSideEncryptionByDefault; def != nil {
			rec["default_encryption_algorithm"] = nonEmpty(string(def.SSEAlgorithm))
			rec["default_encryption_kms_key_id"] = def.KMSMasterKeyID
			break
		}
	}
	return nil
}

func readBucketVersioning(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, nil)
	if err != nil {
		return fmt.Errorf("get versioning of bucket %q: %w", bucket, err)
	}
	if outcome != detailFound {
		return nil
	}
	// A bucket whose versioning was never enabled has neither field.
	raw.Versioning = &s3Versioning{Status: out.Status, MFADelete: out.MFADelete}
	rec["versioning_status"] = nonEmpty(string(out.Status))
	rec["mfa_delete"] = nonEmpty(string(out.MFADelete))
	return nil
}

func readBucketLogging(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, nil)
	if err != nil {
		return fmt.Errorf("get logging of bucket %q: %w", bucket, err)
	}
	if outcome != detailFound || out.LoggingEnabled == nil {
		return nil
	}
	raw.LoggingEnabled = out.LoggingEnabled
	rec["logging_target_bucket"] = out.LoggingEnabled.TargetBucket
	rec["logging_target_prefix"] = out.LoggingEnabled.TargetPrefix
	return nil
}

func readBucketObjectLock(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"ObjectLockConfigurationNotFoundError"})
	if err != nil {
		return fmt.Errorf("get object lock configuration of bucket %q: %w", bucket, err)
	}
	switch outcome {
	case detailAbsent:
		rec["object_lock_enabled"] = false
	case detailFound:
		cfg := out.ObjectLockConfiguration
		raw.ObjectLockConfiguration = cfg
		rec["object_lock_enabled"] = cfg != nil && cfg.ObjectLockEnabled == types.ObjectLockEnabledEnabled
		if cfg != nil {
			rec["object_lock_configuration"] = cfg
		}
	}
	return nil
}

func readBucketTagging(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"NoSuchTagSet"})
	if err != nil {
		return fmt.Errorf("get tags of bucket %q: %w", bucket, err)
	}
	switch outcome {
	case detailAbsent:
		rec["tags"] = map[string]string{}
	case detailFound:
		raw.TagSet = out.TagSet
		rec["tags"] = Tags(out.TagSet)
	}
	return nil
}

// nonEmpty returns s, or nil when s is empty, so that an empty enum value
// is stored as NULL.
func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
