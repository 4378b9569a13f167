package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/stance-cspm/stance/tables"
)

func TestS3AccountPublicAccessBlockMoto(t *testing.T) {
	c := motoClientsFor(t, tables.GlobalRegion)
	const table = "aws_s3_account_public_access_block"

	// Without a configuration the account still gets a row, with configured
	// false.
	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows before configuring, want 1", len(recs))
	}
	expectStoredColumns(t, table, map[string]tables.Record{"before": recs[0]}, []columnExpectation{
		{"before", "configured", false},
		{"before", "block_public_acls", nil},
		{"before", "restrict_public_buckets", nil},
	})

	mustSetUp(t, "put account public access block", func() error {
		_, err := c.S3Control.PutPublicAccessBlock(context.Background(), &s3control.PutPublicAccessBlockInput{
			AccountId: aws.String(c.AccountID),
			PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
				BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(false),
				BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true),
			},
		})
		return err
	})

	recs = collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows after configuring, want 1", len(recs))
	}
	expectStoredColumns(t, table, map[string]tables.Record{"after": recs[0]}, []columnExpectation{
		{"after", "configured", true},
		{"after", "block_public_acls", true},
		{"after", "ignore_public_acls", false},
		{"after", "block_public_policy", true},
		{"after", "restrict_public_buckets", true},
	})
}

func TestS3AccountPublicAccessBlockFixtures(t *testing.T) {
	const table = "aws_s3_account_public_access_block"
	cases := []struct {
		account string
		want    map[string]any
	}{
		{"111122223333", map[string]any{
			"configured": true, "block_public_acls": true, "ignore_public_acls": true,
			"block_public_policy": false, "restrict_public_buckets": false,
		}},
		// NoSuchPublicAccessBlockConfiguration is a finding, so it gives a
		// row with configured false, never no row.
		{"444455556666", map[string]any{
			"configured": false, "block_public_acls": nil, "ignore_public_acls": nil,
			"block_public_policy": nil, "restrict_public_buckets": nil,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.account, func(t *testing.T) {
			c := cliDataClients(t, "testdata/"+table, tc.account, tables.GlobalRegion)
			recs := collect(t, table, c)
			if len(recs) != 1 {
				t.Fatalf("got %d rows, want 1", len(recs))
			}
			var expectations []columnExpectation
			for column, want := range tc.want {
				expectations = append(expectations, columnExpectation{tc.account, column, want})
			}
			expectStoredColumns(t, table, map[string]tables.Record{tc.account: recs[0]}, expectations)
		})
	}
}

func TestS3AccountPublicAccessBlockDemoData(t *testing.T) {
	// The demo data has no s3control file: the partition is not collected,
	// which must not read as "not configured".
	c := demoDataClients(t, tables.GlobalRegion)
	recs, err := fetchRecordsOrError(t, "aws_s3_account_public_access_block", c)
	if !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected", err)
	}
	if len(recs) != 0 {
		t.Errorf("got %d rows, want none", len(recs))
	}
}
