package aws

import (
	"context"
	"testing"

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
