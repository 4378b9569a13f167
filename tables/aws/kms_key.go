package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// kmsKeyConcurrency is the number of keys whose detail calls run at once.
// Each key takes three or four calls, and KMS throttles an account's
// requests per second across all callers.
const kmsKeyConcurrency = 4

func init() {
	register(&tables.Table{
		Name:        "aws_kms_key",
		Description: "KMS keys, AWS managed and customer managed, with their state, rotation, key policy and aliases.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the key."},
			{Name: "key_id", Type: store.TypeText, Description: "Key ID, a UUID, or an mrk- prefixed ID for a multi-Region key."},
			{Name: "key_manager", Type: store.TypeText, Description: "AWS for AWS managed keys, CUSTOMER for customer managed keys."},
			{Name: "key_state", Type: store.TypeText, Description: "Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Creating, Updating or PendingRotation."},
			{Name: "key_spec", Type: store.TypeText, Description: "Type of key material, such as SYMMETRIC_DEFAULT, RSA_2048, ECC_NIST_P256 or HMAC_256."},
			{Name: "key_usage", Type: store.TypeText, Description: "ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT."},
			{Name: "origin", Type: store.TypeText, Description: "Source of the key material: AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE."},
			{Name: "enabled", Type: store.TypeBool, Description: "True when the key can be used."},
			{Name: "creation_date", Type: store.TypeTimestamp, Description: "Time the key was created."},
			{Name: "deletion_date", Type: store.TypeTimestamp, Description: "Time the key will be deleted; NULL unless its state is PendingDeletion."},
			{Name: "description", Type: store.TypeText, Description: "Description of the key."},
			{Name: "multi_region", Type: store.TypeBool, Description: "True for a multi-Region primary or replica key."},
			{Name: "rotation_enabled", Type: store.TypeBool, Description: "True when automatic rotation of the key material is on; NULL for keys other than customer managed symmetric keys."},
			{Name: "rotation_period_in_days", Type: store.TypeInt, Description: "Days between automatic rotations, 90 to 2560, when rotation is on."},
			{Name: "policy", Type: store.TypeJSON, Description: "The key policy named default, the only policy name KMS supports."},
			{Name: "aliases", Type: store.TypeTextList, Description: "Alias names that point to the key, such as alias/aws/s3."},
		},
	}, fetchKMSKeys)
}

func fetchKMSKeys(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	var keys []types.KeyListEntry
	pages := kms.NewListKeysPaginator(c.KMS, &kms.ListKeysInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list keys: %w", err)
		}
		keys = append(keys, page.Keys...)
	}

	aliases, err := listKMSAliases(ctx, c.KMS)
	if err != nil {
		return err
	}
	reader := &kmsKeyReader{client: c.KMS, aliases: aliases}
	return readConcurrently(ctx, kmsKeyConcurrency, keys, reader.read, emit)
}

// listKMSAliases returns the alias names of the region by target key ID.
// It returns nil when the aliases cannot be read, so that the aliases
// column stays NULL instead of claiming that no key has an alias.
func listKMSAliases(ctx context.Context, client *kms.Client) (map[string][]string, error) {
	byKey := map[string][]string{}
	pages := kms.NewListAliasesPaginator(client, &kms.ListAliasesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		outcome, err := classifyDetail(err, nil)
		if err != nil {
			return nil, fmt.Errorf("list aliases: %w", err)
		}
		if outcome != detailFound {
			return nil, nil
		}
		for _, alias := range page.Aliases {
			// Aliases that point to no key are predefined AWS managed
			// aliases whose key does not exist yet.
			if target := aws.ToString(alias.TargetKeyId); target != "" {
				byKey[target] = append(byKey[target], aws.ToString(alias.AliasName))
			}
		}
	}
	return byKey, nil
}
