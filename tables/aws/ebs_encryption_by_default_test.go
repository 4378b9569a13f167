package aws

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/middleware"

	"github.com/stance-cspm/stance/internal/awsfile"
	"github.com/stance-cspm/stance/tables"
)

// withLocalDefaultKMSKey makes c's EC2 client return keyID for
// GetEbsDefaultKmsKeyId without a request, and send every other call to moto.
//
// NOTE: moto 5.2.1 does not implement GetEbsDefaultKmsKeyId and returns
// HTTP 500 (NotImplementedError) for it.
func withLocalDefaultKMSKey(c *Clients, keyID string) {
	c.EC2 = ec2.New(c.EC2.Options(), func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("localDefaultKMSKey",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					if middleware.GetOperationName(ctx) != "GetEbsDefaultKmsKeyId" {
						return next.HandleInitialize(ctx, in)
					}
					out := &ec2.GetEbsDefaultKmsKeyIdOutput{KmsKeyId: aws.String(keyID)}
					return middleware.InitializeOutput{Result: out}, middleware.Metadata{}, nil
				}), middleware.Before)
		})
	})
}

func TestEBSEncryptionByDefaultMoto(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		region  string
		enable  bool
		wantRow map[string]any
	}{
		{"eu-central-1", true, map[string]any{"enabled": true, "default_kms_key_id": "alias/aws/ebs"}},
		{"eu-west-1", false, map[string]any{"enabled": false, "default_kms_key_id": "alias/aws/ebs"}},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			c, _ := motoEC2(t, tc.region)
			if tc.enable {
				if _, err := c.EC2.EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}); err != nil {
					t.Fatalf("EnableEbsEncryptionByDefault: %v", err)
				}
			}
			withLocalDefaultKMSKey(c, "alias/aws/ebs")

			recs := collect(t, "aws_ebs_encryption_by_default", c)
			if len(recs) != 1 {
				t.Fatalf("rows: got %d, want 1", len(recs))
			}
			ec2Check(t, tc.region, ec2Values(t, "aws_ebs_encryption_by_default", recs[0]), tc.wantRow)

			tbl, _ := tables.Lookup("aws_ebs_encryption_by_default")
			target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
			row, err := tbl.Row(target, recs[0])
			if err != nil {
				t.Fatalf("Row: %v", err)
			}
			if want := c.AccountID + "/" + tc.region; row.Key != want {
				t.Errorf("key: got %q, want %q", row.Key, want)
			}
		})
	}
}

func TestEBSEncryptionByDefaultKeyError(t *testing.T) {
	c, _ := motoEC2(t, "eu-west-1")
	tbl, _ := tables.Lookup("aws_ebs_encryption_by_default")
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}

	// Without the local result, moto fails GetEbsDefaultKmsKeyId with HTTP
	// 500, an error that must fail the partition rather than leave a NULL.
	err := tbl.Fetch(context.Background(), target, func(tables.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "get EBS default KMS key ID") {
		t.Errorf("got error %v, want the failed GetEbsDefaultKmsKeyId call", err)
	}
}

func TestEBSEncryptionByDefaultFixture(t *testing.T) {
	cases := []struct {
		region string
		want   map[string]any
	}{
		{"us-east-1", map[string]any{
			"enabled":            true,
			"default_kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		}},
		// The key call is denied: the row stays, with the key unknown.
		{"us-west-2", map[string]any{"enabled": false, "default_kms_key_id": nil}},
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			c := ec2Fixture(t, "aws_ebs_encryption_by_default", tc.region)
			recs := collect(t, "aws_ebs_encryption_by_default", c)
			if len(recs) != 1 {
				t.Fatalf("rows: got %d, want 1", len(recs))
			}
			ec2Check(t, tc.region, ec2Values(t, "aws_ebs_encryption_by_default", recs[0]), tc.want)
		})
	}
}

func TestEBSEncryptionByDefaultErrors(t *testing.T) {
	cases := []struct {
		region   string
		wantCode string
	}{
		{"eu-west-1", "UnauthorizedOperation"},     // the main call denied: a blind spot
		{"ap-southeast-1", "InternalError"},        // the key call failed otherwise
		{"ca-central-1", awsfile.NotCollectedCode}, // no folder for the region
	}
	for _, tc := range cases {
		t.Run(tc.region, func(t *testing.T) {
			c := ec2Fixture(t, "aws_ebs_encryption_by_default", tc.region)
			if err := ec2FetchError(t, "aws_ebs_encryption_by_default", c); !IsErrorCode(err, tc.wantCode) {
				t.Errorf("got error %v, want code %s", err, tc.wantCode)
			}
		})
	}
}
