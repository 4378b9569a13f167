package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stance-cspm/stance/tables"
)

// bucketReader reads the settings of one bucket after another. It is safe
// for concurrent use.
type bucketReader struct {
	partition string
	// home is the client of the global partition. S3 serves
	// GetBucketLocation there for a bucket of any region.
	home     *s3.Client
	regional *s3RegionalClients
}

// bucketStep reads one setting of a bucket into its record and raw value.
type bucketStep func(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error

// bucketSteps are the detail calls made for every bucket whose region is
// known.
var bucketSteps = []bucketStep{
	readBucketPolicy,
	readBucketPolicyStatus,
	readBucketACL,
	readBucketPublicAccessBlock,
	readBucketEncryption,
	readBucketVersioning,
	readBucketLogging,
	readBucketObjectLock,
	readBucketTagging,
}

// read returns the record of one bucket, or nil when the bucket was
// deleted after it was listed.
func (r *bucketReader) read(ctx context.Context, b types.Bucket) (tables.Record, error) {
	name := aws.ToString(b.Name)
	rec := tables.Record{
		"arn":           fmt.Sprintf("arn:%s:s3:::%s", partitionOrDefault(r.partition), name),
		"name":          name,
		"creation_date": b.CreationDate,
	}
	raw := &bucketRaw{Bucket: b}
	rec["raw"] = raw

	region, err := r.bucketRegion(ctx, b)
	if IsErrorCode(err, "NoSuchBucket") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if region == "" {
		// NOTE: without the bucket's region its detail calls cannot be
		// sent to the right endpoint, so the row keeps only the listing's
		// columns and the partition's region.
		return rec, nil
	}
	rec["region"] = region
	raw.Region = region

	client := r.regional.forRegion(region)
	for _, step := range bucketSteps {
		err := step(ctx, client, name, rec, raw)
		if IsErrorCode(err, "NoSuchBucket") {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return rec, nil
}

// bucketRegion returns the bucket's region from the listing when S3 sent
// it, or else from GetBucketLocation. It returns "" when the location
// cannot be read.
func (r *bucketReader) bucketRegion(ctx context.Context, b types.Bucket) (string, error) {
	if region := aws.ToString(b.BucketRegion); region != "" {
		return region, nil
	}
	out, err := r.home.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b.Name})
	if IsErrorCode(err, "NoSuchBucket") {
		return "", err
	}
	outcome, err := classifyDetail(err, nil)
	if err != nil {
		return "", fmt.Errorf("get location of bucket %q: %w", aws.ToString(b.Name), err)
	}
	if outcome != detailFound {
		return "", nil
	}
	return bucketRegionName(out.LocationConstraint), nil
}

// partitionOrDefault returns partition, or "aws" when it is empty.
func partitionOrDefault(partition string) string {
	if partition == "" {
		return "aws"
	}
	return partition
}

func readBucketPolicy(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"NoSuchBucketPolicy"})
	if err != nil {
		return fmt.Errorf("get policy of bucket %q: %w", bucket, err)
	}
	switch outcome {
	case detailAbsent:
		rec["has_policy"] = false
		return nil
	case detailUnknown:
		return nil
	}
	policy, err := PolicyJSON(out.Policy)
	if err != nil {
		return fmt.Errorf("read policy of bucket %q: %w", bucket, err)
	}
	rec["policy"] = policy
	rec["has_policy"] = true
	raw.Policy = jsonText(policy)
	return nil
}

func readBucketPolicyStatus(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"NoSuchBucketPolicy"})
	if err != nil {
		return fmt.Errorf("get policy status of bucket %q: %w", bucket, err)
	}
	switch outcome {
	case detailAbsent:
		rec["policy_status_is_public"] = false
	case detailFound:
		raw.PolicyStatus = out.PolicyStatus
		if out.PolicyStatus != nil {
			rec["policy_status_is_public"] = out.PolicyStatus.IsPublic
		}
	}
	return nil
}

// Grantee URIs of the groups that make an ACL grant public: everyone, and
// every AWS account.
const (
	allUsersURI           = "http://acs.amazonaws.com/groups/global/AllUsers"
	authenticatedUsersURI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

func readBucketACL(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, nil)
	if err != nil {
		return fmt.Errorf("get ACL of bucket %q: %w", bucket, err)
	}
	if outcome != detailFound {
		return nil
	}
	raw.ACL = &s3ACL{Owner: out.Owner, Grants: out.Grants}
	grants := out.Grants
	if grants == nil {
		grants = []types.Grant{}
	}
	rec["acl"] = grants
	rec["acl_grants_public"] = aclGrantsPublic(grants)
	return nil
}

// aclGrantsPublic reports whether any grant goes to the AllUsers or
// AuthenticatedUsers group.
func aclGrantsPublic(grants []types.Grant) bool {
	for _, g := range grants {
		if g.Grantee == nil {
			continue
		}
		switch aws.ToString(g.Grantee.URI) {
		case allUsersURI, authenticatedUsersURI:
			return true
		}
	}
	return false
}

func readBucketPublicAccessBlock(ctx context.Context, client *s3.Client, bucket string, rec tables.Record, raw *bucketRaw) error {
	out, err := client.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
	outcome, err := classifyDetail(err, []string{"NoSuchPublicAccessBlockConfiguration"})
	if err != nil {
		return fmt.Errorf("get public access block of bucket %q: %w", bucket, err)
	}
	switch outcome {
	case detailAbsent:
		rec["public_access_block_configured"] = false
	case detailFound:
		cfg := out.PublicAccessBlockConfiguration
		raw.PublicAccessBlockConfiguration = cfg
		rec["public_access_block_configured"] = cfg != nil
		if cfg != nil {
			rec["block_public_acls"] = cfg.BlockPublicAcls
			rec["ignore_public_acls"] = cfg.IgnorePublicAcls
			rec["block_public_policy"] = cfg.BlockPublicPolicy
			rec["restrict_public_buckets"] = cfg.RestrictPublicBuckets
		}
	}
	return nil
}
