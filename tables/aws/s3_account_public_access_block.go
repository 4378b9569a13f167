package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_s3_account_public_access_block",
		Description: "The account-wide S3 public access block, one row per account, " +
			"including accounts that have none configured.",
		Key:    tables.ColAccountID,
		Global: true,
		Columns: []store.Column{
			{Name: "configured", Type: store.TypeBool, Description: "True when the account has a public access block configuration; false when it has none."},
			{Name: "block_public_acls", Type: store.TypeBool, Description: "Reject requests that add public ACLs to any bucket or object of the account; NULL when not configured."},
			{Name: "ignore_public_acls", Type: store.TypeBool, Description: "Ignore public ACLs on every bucket and object of the account; NULL when not configured."},
			{Name: "block_public_policy", Type: store.TypeBool, Description: "Reject bucket policies that grant public access; NULL when not configured."},
			{Name: "restrict_public_buckets", Type: store.TypeBool, Description: "Limit access under public bucket policies to AWS services and the owner account; NULL when not configured."},
		},
	}, fetchS3AccountPublicAccessBlock)
}

// accountPublicAccessBlockRaw is the raw column of
// aws_s3_account_public_access_block.
type accountPublicAccessBlockRaw struct {
	Configured                     bool
	PublicAccessBlockConfiguration *types.PublicAccessBlockConfiguration `json:",omitempty"`
}

func fetchS3AccountPublicAccessBlock(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	out, err := c.S3Control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(c.AccountID)})
	if IsErrorCode(err, "NoSuchPublicAccessBlockConfiguration") {
		return emit(tables.Record{
			"configured": false,
			"raw":        accountPublicAccessBlockRaw{Configured: false},
		})
	}
	if err != nil {
		return fmt.Errorf("get public access block of account %s: %w", c.AccountID, err)
	}

	cfg := out.PublicAccessBlockConfiguration
	rec := tables.Record{
		"configured": cfg != nil,
		"raw":        accountPublicAccessBlockRaw{Configured: cfg != nil, PublicAccessBlockConfiguration: cfg},
	}
	if cfg != nil {
		rec["block_public_acls"] = cfg.BlockPublicAcls
		rec["ignore_public_acls"] = cfg.IgnorePublicAcls
		rec["block_public_policy"] = cfg.BlockPublicPolicy
		rec["restrict_public_buckets"] = cfg.RestrictPublicBuckets
	}
	return emit(rec)
}
