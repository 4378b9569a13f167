package aws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// kmsTestPolicy is a key policy that lets the account's root user manage
// the key.
const kmsTestPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`

// createTestKey creates a customer managed key and returns its ID.
func createTestKey(t *testing.T, client *kms.Client, in *kms.CreateKeyInput) string {
	t.Helper()
	out, err := client.CreateKey(context.Background(), in)
	if err != nil {
		t.Fatalf("create key %q: %v", aws.ToString(in.Description), err)
	}
	return aws.ToString(out.KeyMetadata.KeyId)
}

func TestKMSKeyMoto(t *testing.T) {
	c := motoClientsFor(t, "eu-west-1")
	ctx := context.Background()
	const table = "aws_kms_key"

	rotating := createTestKey(t, c.KMS, &kms.CreateKeyInput{
		Description: aws.String("rotating"),
		KeyUsage:    types.KeyUsageTypeEncryptDecrypt,
		MultiRegion: aws.Bool(false),
		Policy:      aws.String(kmsTestPolicy),
		Tags:        []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("data")}},
	})
	mustSetUp(t, "enable rotation", func() error {
		_, err := c.KMS.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(rotating)})
		return err
	})
	for _, alias := range []string{"alias/stance-data", "alias/stance-backup"} {
		mustSetUp(t, "create alias "+alias, func() error {
			_, err := c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: aws.String(rotating)})
			return err
		})
	}

	disabled := createTestKey(t, c.KMS, &kms.CreateKeyInput{Description: aws.String("disabled")})
	mustSetUp(t, "disable key", func() error {
		_, err := c.KMS.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(disabled)})
		return err
	})

	deleting := createTestKey(t, c.KMS, &kms.CreateKeyInput{Description: aws.String("deleting")})
	mustSetUp(t, "schedule deletion", func() error {
		_, err := c.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(deleting), PendingWindowInDays: aws.Int32(7)})
		return err
	})

	signing := createTestKey(t, c.KMS, &kms.CreateKeyInput{
		Description: aws.String("signing"),
		KeySpec:     types.KeySpecRsa2048,
		KeyUsage:    types.KeyUsageTypeSignVerify,
	})

	recs := collect(t, table, c)
	if len(recs) != 4 {
		t.Fatalf("got %d keys, want 4", len(recs))
	}
	byID := recordsByColumn(t, recs, "key_id")
	expectStoredColumns(t, table, byID, []columnExpectation{
		{rotating, "arn", "arn:aws:kms:eu-west-1:123456789012:key/" + rotating},
		{rotating, "key_manager", "CUSTOMER"},
		{rotating, "key_state", "Enabled"},
		{rotating, "key_spec", "SYMMETRIC_DEFAULT"},
		{rotating, "key_usage", "ENCRYPT_DECRYPT"},
		{rotating, "origin", "AWS_KMS"},
		{rotating, "enabled", true},
		{rotating, "description", "rotating"},
		{rotating, "multi_region", false},
		{rotating, "deletion_date", nil},
		{rotating, "rotation_enabled", true},
		{rotating, "policy", map[string]any{"Statement": []any{map[string]any{"Sid": "Root", "Action": "kms:*"}}}},
		{rotating, "aliases", []string{"alias/stance-data", "alias/stance-backup"}},
		{rotating, "tags", map[string]string{"team": "data"}},

		{disabled, "key_state", "Disabled"},
		{disabled, "enabled", false},
		{disabled, "rotation_enabled", false},
		{disabled, "aliases", []string{}},
		{disabled, "tags", map[string]string{}},

		{deleting, "key_state", "PendingDeletion"},

		// Rotation does not apply to asymmetric keys, so it is not read.
		{signing, "key_spec", "RSA_2048"},
		{signing, "key_usage", "SIGN_VERIFY"},
		{signing, "rotation_enabled", nil},
		{signing, "rotation_period_in_days", nil},
	})
	// NOTE: moto 5.2.1 returns no RotationPeriodInDays and never returns
	// KMSInvalidStateException, so fixtures cover both.
	if byID[deleting]["deletion_date"] == nil {
		t.Errorf("key pending deletion: got no deletion_date, want the scheduled date")
	}
	for id, rec := range byID {
		if rec["creation_date"] == nil {
			t.Errorf("key %s: got no creation_date, want the creation time", id)
		}
	}
}

func TestKMSKeyFixtures(t *testing.T) {
	c := testdataClients(t, "aws_kms_key", "eu-west-1")
	const table = "aws_kms_key"
	const (
		rotating   = "11111111-aaaa-4aaa-8aaa-111111111111"
		awsManaged = "22222222-bbbb-4bbb-8bbb-222222222222"
		deleting   = "33333333-cccc-4ccc-8ccc-333333333333"
		gone       = "44444444-dddd-4ddd-8ddd-444444444444"
		denied     = "55555555-eeee-4eee-8eee-555555555555"
		imported   = "66666666-ffff-4fff-8fff-666666666666"
	)

	recs := collect(t, table, c)
	byID := recordsByColumn(t, recs, "key_id")
	// The key that DescribeKey no longer finds was deleted during the sync.
	if len(recs) != 5 {
		t.Errorf("got %d keys, want 5", len(recs))
	}
	if _, ok := byID[gone]; ok {
		t.Errorf("key %s: got a row, want none for a key deleted during the sync", gone)
	}

	expectStoredColumns(t, table, byID, []columnExpectation{
		{rotating, "arn", "arn:aws:kms:eu-west-1:111122223333:key/" + rotating},
		{rotating, "key_manager", "CUSTOMER"},
		{rotating, "description", "application data"},
		{rotating, "creation_date", time.Date(2023, 4, 5, 6, 7, 8, 0, time.UTC)},
		{rotating, "rotation_enabled", true},
		{rotating, "rotation_period_in_days", 180},
		{rotating, "policy", map[string]any{"Statement": []any{map[string]any{"Sid": "Enable IAM User Permissions"}}}},
		{rotating, "aliases", []string{"alias/app", "alias/app-old"}},
		{rotating, "tags", map[string]string{"team": "payments"}},

		// AWS managed keys rotate every year by themselves and are not
		// asked: the fixture fails the partition if they are.
		{awsManaged, "key_manager", "AWS"},
		{awsManaged, "rotation_enabled", nil},
		{awsManaged, "aliases", []string{"alias/aws/s3"}},
		{awsManaged, "policy", map[string]any{"Statement": []any{map[string]any{"Sid": "Allow access through S3"}}}},
		{awsManaged, "tags", map[string]string{}},

		// KMSInvalidStateException leaves the detail unknown.
		{deleting, "key_state", "PendingDeletion"},
		{deleting, "enabled", false},
		{deleting, "deletion_date", time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)},
		{deleting, "rotation_enabled", nil},
		{deleting, "policy", nil},
		{deleting, "tags", map[string]string{}},

		// A key whose policy denies the reader still has a row.
		{denied, "arn", "arn:aws:kms:eu-west-1:111122223333:key/" + denied},
		{denied, "key_state", nil},
		{denied, "key_manager", nil},
		{denied, "policy", nil},
		{denied, "aliases", []string{}},
		{denied, "tags", map[string]string(nil)},

		// Imported key material cannot rotate: UnsupportedOperationException.
		{imported, "origin", "EXTERNAL"},
		{imported, "rotation_enabled", nil},
		{imported, "rotation_period_in_days", nil},
	})
}

func TestKMSKeyDetailErrorFails(t *testing.T) {
	c := cliDataClients(t, "testdata/aws_kms_key", "444455556666", "eu-west-1")
	_, err := fetchRecordsOrError(t, "aws_kms_key", c)
	if got := ErrorCode(err); got != "KMSInternalException" {
		t.Errorf("got error %v (code %q), want KMSInternalException to fail the partition", err, got)
	}
}

func TestKMSKeyDemoData(t *testing.T) {
	// The demo data has no KMS files, so the region is not collected.
	c := demoDataClients(t, "us-east-1")
	recs, err := fetchRecordsOrError(t, "aws_kms_key", c)
	if !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected", err)
	}
	if len(recs) != 0 {
		t.Errorf("got %d keys, want none", len(recs))
	}
}
