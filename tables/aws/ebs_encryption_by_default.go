package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_ebs_encryption_by_default",
		Description: "EBS encryption by default, one row per account and region, whether it is enabled or not.",
		Key:         "region",
		Columns: []store.Column{
			{Name: "enabled", Type: store.TypeBool, Description: "True when new EBS volumes and snapshot copies of the region are encrypted by default."},
			{Name: "default_kms_key_id", Type: store.TypeText, Description: "KMS key that encrypts by default: a key ARN, or alias/aws/ebs for the AWS managed key; NULL when it could not be read."},
		},
	}, fetchEBSEncryptionByDefault)
}

// ebsEncryptionDefaults is the raw object of a row: the output of both
// calls without their result metadata.
type ebsEncryptionDefaults struct {
	EbsEncryptionByDefault *bool
	SseType                string `json:",omitempty"`
	KmsKeyId               *string
}

func fetchEBSEncryptionByDefault(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	enc, err := c.EC2.GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
	if err != nil {
		return fmt.Errorf("get EBS encryption by default: %w", err)
	}
	raw := ebsEncryptionDefaults{EbsEncryptionByDefault: enc.EbsEncryptionByDefault, SseType: string(enc.SseType)}

	// The row still shows whether encryption is on without the key, so an
	// unreadable key leaves only its column NULL.
	key, err := c.EC2.GetEbsDefaultKmsKeyId(ctx, &ec2.GetEbsDefaultKmsKeyIdInput{})
	switch {
	case err == nil:
		raw.KmsKeyId = key.KmsKeyId
	case IsNotCollected(err) || isEC2AccessDenied(err):
		// The key is unknown, and its column stays NULL.
	default:
		return fmt.Errorf("get EBS default KMS key ID: %w", err)
	}

	return emit(tables.Record{
		"enabled":            enc.EbsEncryptionByDefault,
		"default_kms_key_id": raw.KmsKeyId,
		"raw":                raw,
	})
}
