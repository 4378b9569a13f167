package aws

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stance-cspm/stance/tables"
)

// s3ClientIn returns a client of c's S3 endpoint for region.
func s3ClientIn(c *Clients, region string) *s3.Client {
	return s3.New(c.S3.Options(), func(o *s3.Options) { o.Region = region })
}

// createBucket creates a bucket in region, with Object Lock when lock is set.
func createTestBucket(t *testing.T, c *Clients, name, region string, lock bool) {
	t.Helper()
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != HomeRegion {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	if lock {
		in.ObjectLockEnabledForBucket = aws.Bool(true)
	}
	if _, err := s3ClientIn(c, region).CreateBucket(context.Background(), in); err != nil {
		t.Fatalf("create bucket %s in %s: %v", name, region, err)
	}
}

// logDeliveryURI is the grantee of the S3 log delivery group, which a
// logging target bucket must grant WRITE and READ_ACP.
const logDeliveryURI = "http://acs.amazonaws.com/groups/s3/LogDelivery"

const publicReadPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::stance-open/*"}]}`

func TestS3BucketMoto(t *testing.T) {
	c := motoClientsFor(t, tables.GlobalRegion)
	ctx := context.Background()

	// stance-open (us-east-1): public policy and ACL, versioning, logging
	// and tags.
	createTestBucket(t, c, "stance-logs", HomeRegion, false)
	createTestBucket(t, c, "stance-open", HomeRegion, false)
	east := s3ClientIn(c, HomeRegion)
	mustSetUp(t, "put policy", func() error {
		_, err := east.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("stance-open"), Policy: aws.String(publicReadPolicy)})
		return err
	})
	mustSetUp(t, "put ACL", func() error {
		_, err := east.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("stance-open"), ACL: types.BucketCannedACLPublicRead})
		return err
	})
	mustSetUp(t, "put versioning", func() error {
		_, err := east.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
			Bucket:                  aws.String("stance-open"),
			VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
		})
		return err
	})
	mustSetUp(t, "grant log delivery", func() error {
		_, err := east.PutBucketAcl(ctx, &s3.PutBucketAclInput{
			Bucket:       aws.String("stance-logs"),
			GrantWrite:   aws.String("uri=" + logDeliveryURI),
			GrantReadACP: aws.String("uri=" + logDeliveryURI),
		})
		return err
	})
	mustSetUp(t, "put logging", func() error {
		_, err := east.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{
			Bucket: aws.String("stance-open"),
			BucketLoggingStatus: &types.BucketLoggingStatus{LoggingEnabled: &types.LoggingEnabled{
				TargetBucket: aws.String("stance-logs"), TargetPrefix: aws.String("open/"),
			}},
		})
		return err
	})
	mustSetUp(t, "put tags", func() error {
		_, err := east.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{
			Bucket:  aws.String("stance-open"),
			Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}},
		})
		return err
	})

	// stance-locked (eu-west-1): Object Lock, public access block and KMS
	// default encryption, all read through an eu-west-1 client.
	createTestBucket(t, c, "stance-locked", "eu-west-1", true)
	west := s3ClientIn(c, "eu-west-1")
	mustSetUp(t, "put object lock", func() error {
		_, err := west.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{
			Bucket: aws.String("stance-locked"),
			ObjectLockConfiguration: &types.ObjectLockConfiguration{
				ObjectLockEnabled: types.ObjectLockEnabledEnabled,
				Rule:              &types.ObjectLockRule{DefaultRetention: &types.DefaultRetention{Mode: types.ObjectLockRetentionModeGovernance, Days: aws.Int32(30)}},
			},
		})
		return err
	})
	mustSetUp(t, "put public access block", func() error {
		_, err := west.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
			Bucket: aws.String("stance-locked"),
			PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
				BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true),
				BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(false),
			},
		})
		return err
	})
	mustSetUp(t, "put encryption", func() error {
		_, err := west.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
			Bucket: aws.String("stance-locked"),
			ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
					SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("alias/stance"),
				},
			}}},
		})
		return err
	})

	// stance-authenticated (eu-central-1): readable by every AWS account
	// through its ACL, nothing else configured.
	createTestBucket(t, c, "stance-authenticated", "eu-central-1", false)
	mustSetUp(t, "put ACL", func() error {
		_, err := s3ClientIn(c, "eu-central-1").PutBucketAcl(ctx, &s3.PutBucketAclInput{
			Bucket: aws.String("stance-authenticated"), ACL: types.BucketCannedACLAuthenticatedRead,
		})
		return err
	})

	recs := collect(t, "aws_s3_bucket", c)
	if len(recs) != 4 {
		t.Fatalf("got %d buckets, want 4", len(recs))
	}
	byName := recordsByColumn(t, recs, "name")
	policy := map[string]any{}
	_ = json.Unmarshal([]byte(publicReadPolicy), &policy)

	expectStoredColumns(t, "aws_s3_bucket", byName, []columnExpectation{
		{"stance-open", "arn", "arn:aws:s3:::stance-open"},
		{"stance-open", "region", "us-east-1"},
		{"stance-open", "policy", policy},
		{"stance-open", "has_policy", true},
		{"stance-open", "acl_grants_public", true},
		{"stance-open", "public_access_block_configured", false},
		{"stance-open", "block_public_acls", nil},
		{"stance-open", "versioning_status", "Enabled"},
		{"stance-open", "logging_target_bucket", "stance-logs"},
		{"stance-open", "logging_target_prefix", "open/"},
		{"stance-open", "object_lock_enabled", false},
		{"stance-open", "object_lock_configuration", nil},

		{"stance-locked", "region", "eu-west-1"},
		{"stance-locked", "policy", nil},
		{"stance-locked", "has_policy", false},
		{"stance-locked", "acl_grants_public", false},
		{"stance-locked", "public_access_block_configured", true},
		{"stance-locked", "block_public_acls", true},
		{"stance-locked", "ignore_public_acls", true},
		{"stance-locked", "block_public_policy", true},
		{"stance-locked", "restrict_public_buckets", false},
		{"stance-locked", "default_encryption_algorithm", "aws:kms"},
		{"stance-locked", "default_encryption_kms_key_id", "alias/stance"},
		{"stance-locked", "object_lock_enabled", true},
		{"stance-locked", "object_lock_configuration", map[string]any{
			"ObjectLockEnabled": "Enabled",
			"Rule":              map[string]any{"DefaultRetention": map[string]any{"Days": 30, "Mode": "GOVERNANCE"}},
		}},
		{"stance-locked", "versioning_status", "Enabled"},
		{"stance-locked", "logging_target_bucket", nil},

		{"stance-authenticated", "region", "eu-central-1"},
		{"stance-authenticated", "acl_grants_public", true},
		// NOTE: moto 5.2.1 does not implement GetBucketPolicyStatus. It
		// returns a ListObjects result without a PolicyStatus element, so
		// the column stays NULL here. Fixtures cover the real outputs.
		{"stance-authenticated", "policy_status_is_public", nil},
		{"stance-authenticated", "versioning_status", nil},
		{"stance-authenticated", "mfa_delete", nil},

		{"stance-logs", "acl_grants_public", false},
		{"stance-logs", "policy_status_is_public", nil},
		{"stance-logs", "tags", map[string]string{}},
		{"stance-open", "tags", map[string]string{"team": "data"}},
	})
}

func TestS3BucketDemoData(t *testing.T) {
	c := demoDataClients(t, tables.GlobalRegion)
	const table = "aws_s3_bucket"

	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d buckets, want 1 as in s3-list-buckets.json", len(recs))
	}
	byName := recordsByColumn(t, recs, "name")
	expectStoredColumns(t, table, byName, []columnExpectation{
		{"cloudmapper_demo", "arn", "arn:aws:s3:::cloudmapper_demo"},
		{"cloudmapper_demo", "creation_date", time.Date(2018, 11, 20, 19, 50, 8, 0, time.UTC)},
		// A null LocationConstraint means us-east-1.
		{"cloudmapper_demo", "region", "us-east-1"},
		{"cloudmapper_demo", "policy", map[string]any{"Statement": []any{map[string]any{
			"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": map[string]any{"AWS": "*"},
			"Action": "s3:GetObject", "Resource": "arn:aws:s3:::cloudmapper_demo/*",
		}}}},
		{"cloudmapper_demo", "acl", []any{map[string]any{
			"Grantee":    map[string]any{"Type": "CanonicalUser", "DisplayName": "cloudmapper"},
			"Permission": "FULL_CONTROL",
		}}},
		{"cloudmapper_demo", "has_policy", true},
		{"cloudmapper_demo", "acl_grants_public", false},
		// The demo data has no file for the other calls, so they are
		// unknown, never "not configured".
		{"cloudmapper_demo", "policy_status_is_public", nil},
		{"cloudmapper_demo", "public_access_block_configured", nil},
		{"cloudmapper_demo", "block_public_acls", nil},
		{"cloudmapper_demo", "default_encryption_algorithm", nil},
		{"cloudmapper_demo", "versioning_status", nil},
		{"cloudmapper_demo", "logging_target_bucket", nil},
		{"cloudmapper_demo", "object_lock_enabled", nil},
		{"cloudmapper_demo", "tags", map[string]string(nil)},
	})
}

func TestS3BucketFixtures(t *testing.T) {
	c := testdataClients(t, "aws_s3_bucket", tables.GlobalRegion)
	const table = "aws_s3_bucket"

	recs := collect(t, table, c)
	byName := recordsByColumn(t, recs, "name")
	// fixture-gone was deleted after the listing (NoSuchBucket), so it has
	// no row.
	if len(recs) != 5 {
		t.Errorf("got %d buckets, want 5", len(recs))
	}
	if _, ok := byName["fixture-gone"]; ok {
		t.Errorf("fixture-gone: got a row, want none for a bucket deleted during the sync")
	}

	expectStoredColumns(t, table, byName, []columnExpectation{
		{"fixture-public", "region", "us-east-1"},
		{"fixture-public", "policy", map[string]any{"Statement": []any{map[string]any{"Principal": "*"}}}},
		{"fixture-public", "has_policy", true},
		{"fixture-public", "policy_status_is_public", true},
		{"fixture-public", "acl_grants_public", true},
		{"fixture-public", "public_access_block_configured", false},
		{"fixture-public", "block_public_acls", nil},
		{"fixture-public", "ignore_public_acls", nil},
		{"fixture-public", "block_public_policy", nil},
		{"fixture-public", "restrict_public_buckets", nil},
		{"fixture-public", "server_side_encryption", []any{map[string]any{"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
		{"fixture-public", "default_encryption_algorithm", "AES256"},
		{"fixture-public", "default_encryption_kms_key_id", nil},
		{"fixture-public", "versioning_status", "Enabled"},
		{"fixture-public", "mfa_delete", "Enabled"},
		{"fixture-public", "logging_target_bucket", "fixture-logs"},
		{"fixture-public", "logging_target_prefix", "public/"},
		{"fixture-public", "object_lock_enabled", false},
		{"fixture-public", "object_lock_configuration", nil},
		{"fixture-public", "tags", map[string]string{}},

		// "EU" is the legacy name of eu-west-1.
		{"fixture-eu", "region", "eu-west-1"},
		{"fixture-eu", "policy", nil},
		// NoSuchBucketPolicy: the bucket has no policy, which is known.
		{"fixture-eu", "has_policy", false},
		{"fixture-eu", "policy_status_is_public", false},
		{"fixture-eu", "acl_grants_public", true},
		{"fixture-eu", "public_access_block_configured", true},
		{"fixture-eu", "block_public_acls", true},
		{"fixture-eu", "ignore_public_acls", true},
		{"fixture-eu", "block_public_policy", true},
		{"fixture-eu", "restrict_public_buckets", true},
		{"fixture-eu", "default_encryption_algorithm", "aws:kms:dsse"},
		{"fixture-eu", "default_encryption_kms_key_id", "arn:aws:kms:eu-west-1:111122223333:key/abcd"},
		{"fixture-eu", "versioning_status", nil},
		{"fixture-eu", "mfa_delete", nil},
		{"fixture-eu", "logging_target_bucket", nil},
		{"fixture-eu", "object_lock_enabled", true},
		{"fixture-eu", "object_lock_configuration", map[string]any{"Rule": map[string]any{"DefaultRetention": map[string]any{"Mode": "COMPLIANCE", "Years": 1}}}},
		{"fixture-eu", "tags", map[string]string{"env": "prod", "owner": "data"}},

		// Access denied on every detail call: unknown, so NULL everywhere.
		{"fixture-denied", "region", "ap-southeast-2"},
		{"fixture-denied", "policy", nil},
		{"fixture-denied", "has_policy", nil},
		{"fixture-denied", "policy_status_is_public", nil},
		{"fixture-denied", "acl", nil},
		{"fixture-denied", "acl_grants_public", nil},
		{"fixture-denied", "public_access_block_configured", nil},
		{"fixture-denied", "default_encryption_algorithm", nil},
		{"fixture-denied", "versioning_status", nil},
		{"fixture-denied", "object_lock_enabled", nil},
		{"fixture-denied", "tags", map[string]string(nil)},

		// Without a location the detail calls are skipped and the row
		// keeps the partition's region.
		{"fixture-no-location", "arn", "arn:aws:s3:::fixture-no-location"},
		{"fixture-no-location", "region", nil},
		{"fixture-no-location", "acl", nil},
		{"fixture-no-location", "has_policy", nil},

		// The listing's BucketRegion spares GetBucketLocation, which has
		// no file for this bucket.
		{"fixture-listed-region", "region", "ap-south-1"},
	})
}

func TestS3BucketDetailErrorFails(t *testing.T) {
	c := cliDataClients(t, "testdata/aws_s3_bucket", "444455556666", tables.GlobalRegion)
	_, err := fetchRecordsOrError(t, "aws_s3_bucket", c)
	if err == nil {
		t.Fatal("got no error, want the InternalError of GetBucketPolicy to fail the partition")
	}
	if got := ErrorCode(err); got != "InternalError" {
		t.Errorf("got error code %q (%v), want InternalError", got, err)
	}
	if !strings.Contains(err.Error(), `"fixture-broken"`) {
		t.Errorf("got error %q, want it to name the bucket", err)
	}
}
