package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// s3BucketConcurrency is the number of buckets whose detail calls run at
// once. Each bucket takes about ten calls, and accounts often have
// hundreds of buckets.
const s3BucketConcurrency = 8

func init() {
	register(&tables.Table{
		Name: "aws_s3_bucket",
		Description: "S3 buckets of the account with their access policy, ACL, public access block, " +
			"default encryption, versioning, logging and object lock settings.",
		Key:    "arn",
		Global: true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the bucket, arn:aws:s3:::NAME."},
			{Name: "name", Type: store.TypeText, Description: "Name of the bucket."},
			{Name: "creation_date", Type: store.TypeTimestamp, Description: "Time the bucket was created."},
			{Name: "policy", Type: store.TypeJSON, Description: "Bucket policy document; NULL when the bucket has none or it could not be read."},
			{Name: "has_policy", Type: store.TypeBool, Description: "True when the bucket has a bucket policy, false when it has none; NULL when the policy could not be read."},
			{Name: "policy_status_is_public", Type: store.TypeBool, Description: "True when S3 rates the bucket policy as public (GetBucketPolicyStatus); false without a policy."},
			{Name: "acl", Type: store.TypeJSON, Description: "Grants of the bucket ACL, each with a grantee and a permission."},
			{Name: "acl_grants_public", Type: store.TypeBool, Description: "True when the ACL grants any permission to the AllUsers or AuthenticatedUsers group."},
			{Name: "public_access_block_configured", Type: store.TypeBool, Description: "True when the bucket has its own public access block configuration."},
			{Name: "block_public_acls", Type: store.TypeBool, Description: "Bucket public access block: reject requests that add public ACLs; NULL when not configured."},
			{Name: "ignore_public_acls", Type: store.TypeBool, Description: "Bucket public access block: ignore public ACLs on the bucket and its objects; NULL when not configured."},
			{Name: "block_public_policy", Type: store.TypeBool, Description: "Bucket public access block: reject bucket policies that grant public access; NULL when not configured."},
			{Name: "restrict_public_buckets", Type: store.TypeBool, Description: "Bucket public access block: limit access under a public policy to AWS services and the owner account; NULL when not configured."},
			{Name: "server_side_encryption", Type: store.TypeJSON, Description: "Default encryption rules of the bucket; NULL when not configured."},
			{Name: "default_encryption_algorithm", Type: store.TypeText, Description: "Default encryption algorithm: AES256, aws:kms or aws:kms:dsse; NULL when not configured."},
			{Name: "default_encryption_kms_key_id", Type: store.TypeText, Description: "KMS key ID or ARN used by default encryption with aws:kms or aws:kms:dsse."},
			{Name: "versioning_status", Type: store.TypeText, Description: "Enabled or Suspended; NULL when versioning was never enabled."},
			{Name: "mfa_delete", Type: store.TypeText, Description: "Enabled or Disabled: whether deleting versions needs MFA; NULL when never configured."},
			{Name: "logging_target_bucket", Type: store.TypeText, Description: "Bucket that receives the server access logs; NULL when logging is off."},
			{Name: "logging_target_prefix", Type: store.TypeText, Description: "Key prefix of the server access log objects."},
			{Name: "object_lock_enabled", Type: store.TypeBool, Description: "True when S3 Object Lock is enabled on the bucket."},
			{Name: "object_lock_configuration", Type: store.TypeJSON, Description: "Object Lock configuration with its default retention rule."},
		},
	}, fetchS3Buckets)
}

// bucketRaw is the raw column of aws_s3_bucket: the bucket as listed and
// the outputs of its detail calls. A nil field was absent or unknown.
type bucketRaw struct {
	Bucket                            types.Bucket
	Region                            string                                   `json:",omitempty"`
	Policy                            any                                      `json:",omitempty"`
	PolicyStatus                      *types.PolicyStatus                      `json:",omitempty"`
	ACL                               *s3ACL                                   `json:",omitempty"`
	PublicAccessBlockConfiguration    *types.PublicAccessBlockConfiguration    `json:",omitempty"`
	ServerSideEncryptionConfiguration *types.ServerSideEncryptionConfiguration `json:",omitempty"`
	Versioning                        *s3Versioning                            `json:",omitempty"`
	LoggingEnabled                    *types.LoggingEnabled                    `json:",omitempty"`
	ObjectLockConfiguration           *types.ObjectLockConfiguration           `json:",omitempty"`
	TagSet                            []types.Tag                              `json:",omitempty"`
}

// s3ACL is a bucket ACL as GetBucketAcl returns it.
type s3ACL struct {
	Owner  *types.Owner
	Grants []types.Grant
}

// s3Versioning is a bucket's versioning state as GetBucketVersioning
// returns it.
type s3Versioning struct {
	Status    types.BucketVersioningStatus `json:",omitempty"`
	MFADelete types.MFADeleteStatus        `json:",omitempty"`
}

func fetchS3Buckets(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	var buckets []types.Bucket
	pages := s3.NewListBucketsPaginator(c.S3, &s3.ListBucketsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list buckets: %w", err)
		}
		buckets = append(buckets, page.Buckets...)
	}

	reader := &bucketReader{partition: c.Partition, home: c.S3, regional: newS3RegionalClients(c.S3)}
	return readConcurrently(ctx, s3BucketConcurrency, buckets, reader.read, emit)
}
