package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/stance-cspm/stance/tables"
)

// kmsUnknownCodes are the errors after which a key's detail stays NULL
// without failing the partition. KMS returns KMSInvalidStateException for
// some calls on keys that are disabled or pending deletion, and
// UnsupportedOperationException for rotation calls on keys whose material
// cannot rotate, such as imported material or a custom key store.
var kmsUnknownCodes = []string{"KMSInvalidStateException", "UnsupportedOperationException"}

// kmsKeyRaw is the raw column of aws_kms_key: the key's metadata and the
// outputs of its detail calls. A nil field was not read.
type kmsKeyRaw struct {
	KeyListEntry types.KeyListEntry
	KeyMetadata  *types.KeyMetadata `json:",omitempty"`
	Rotation     *kmsKeyRotation    `json:",omitempty"`
	Policy       any                `json:",omitempty"`
	Aliases      []string           `json:",omitempty"`
	Tags         []types.Tag        `json:",omitempty"`
}

// kmsKeyRotation is a key's rotation status as GetKeyRotationStatus
// returns it.
type kmsKeyRotation struct {
	KeyRotationEnabled   bool
	RotationPeriodInDays *int32     `json:",omitempty"`
	NextRotationDate     *time.Time `json:",omitempty"`
}

// kmsKeyReader reads the details of one key after another. It is safe for
// concurrent use.
type kmsKeyReader struct {
	client *kms.Client
	// aliases maps key IDs to alias names. It is nil when the aliases
	// could not be read.
	aliases map[string][]string
}

// read returns the record of one key, or nil when the key was deleted
// after it was listed.
func (r *kmsKeyReader) read(ctx context.Context, key types.KeyListEntry) (tables.Record, error) {
	id := aws.ToString(key.KeyId)
	raw := &kmsKeyRaw{KeyListEntry: key}
	rec := tables.Record{"arn": key.KeyArn, "key_id": id, "raw": raw}
	if r.aliases != nil {
		names := r.aliases[id]
		if names == nil {
			names = []string{}
		}
		rec["aliases"] = names
		raw.Aliases = names
	}

	out, err := r.client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: key.KeyId})
	if IsErrorCode(err, "NotFoundException") {
		return nil, nil
	}
	outcome, err := classifyDetail(err, nil, kmsUnknownCodes...)
	if err != nil {
		return nil, fmt.Errorf("describe key %s: %w", id, err)
	}
	if outcome == detailFound && out.KeyMetadata != nil {
		raw.KeyMetadata = out.KeyMetadata
		addKMSKeyMetadata(rec, out.KeyMetadata)
		if canRotate(out.KeyMetadata) {
			if err := r.readRotation(ctx, id, rec, raw); err != nil {
				return nil, err
			}
		}
	}

	if err := r.readPolicy(ctx, id, rec, raw); err != nil {
		return nil, err
	}
	if err := r.readTags(ctx, id, rec, raw); err != nil {
		return nil, err
	}
	return rec, nil
}

func addKMSKeyMetadata(rec tables.Record, m *types.KeyMetadata) {
	rec["arn"] = m.Arn
	rec["key_manager"] = nonEmpty(string(m.KeyManager))
	rec["key_state"] = nonEmpty(string(m.KeyState))
	rec["key_spec"] = nonEmpty(string(m.KeySpec))
	rec["key_usage"] = nonEmpty(string(m.KeyUsage))
	rec["origin"] = nonEmpty(string(m.Origin))
	rec["enabled"] = m.Enabled
	rec["creation_date"] = m.CreationDate
	rec["deletion_date"] = m.DeletionDate
	rec["description"] = m.Description
	rec["multi_region"] = m.MultiRegion
}

// canRotate reports whether GetKeyRotationStatus applies to the key. KMS
// rotates only customer managed symmetric encryption keys on request, and
// always rotates AWS managed keys every year.
func canRotate(m *types.KeyMetadata) bool {
	return m.KeyManager == types.KeyManagerTypeCustomer && m.KeySpec == types.KeySpecSymmetricDefault
}

func (r *kmsKeyReader) readRotation(ctx context.Context, id string, rec tables.Record, raw *kmsKeyRaw) error {
	out, err := r.client.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(id)})
	outcome, err := classifyDetail(err, nil, kmsUnknownCodes...)
	if err != nil {
		return fmt.Errorf("get rotation status of key %s: %w", id, err)
	}
	if outcome != detailFound {
		return nil
	}
	raw.Rotation = &kmsKeyRotation{
		KeyRotationEnabled:   out.KeyRotationEnabled,
		RotationPeriodInDays: out.RotationPeriodInDays,
		NextRotationDate:     out.NextRotationDate,
	}
	rec["rotation_enabled"] = out.KeyRotationEnabled
	rec["rotation_period_in_days"] = out.RotationPeriodInDays
	return nil
}

func (r *kmsKeyReader) readPolicy(ctx context.Context, id string, rec tables.Record, raw *kmsKeyRaw) error {
	out, err := r.client.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id), PolicyName: aws.String("default")})
	outcome, err := classifyDetail(err, nil, kmsUnknownCodes...)
	if err != nil {
		return fmt.Errorf("get policy of key %s: %w", id, err)
	}
	if outcome != detailFound {
		return nil
	}
	policy, err := PolicyJSON(out.Policy)
	if err != nil {
		return fmt.Errorf("read policy of key %s: %w", id, err)
	}
	rec["policy"] = policy
	raw.Policy = jsonText(policy)
	return nil
}

func (r *kmsKeyReader) readTags(ctx context.Context, id string, rec tables.Record, raw *kmsKeyRaw) error {
	var tags []types.Tag
	pages := kms.NewListResourceTagsPaginator(r.client, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		outcome, err := classifyDetail(err, nil, kmsUnknownCodes...)
		if err != nil {
			return fmt.Errorf("list tags of key %s: %w", id, err)
		}
		if outcome != detailFound {
			return nil
		}
		tags = append(tags, page.Tags...)
	}
	raw.Tags = tags
	rec["tags"] = Tags(tags)
	return nil
}
