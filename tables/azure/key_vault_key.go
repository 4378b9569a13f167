package azure

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/keyvault/armkeyvault"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_key_vault_key",
		Description: "Keys of Key Vaults as the management plane lists them: type, size, operations, expiry and rotation policy. " +
			"Reading them needs only Reader on the vault, never data plane access, and key material is never returned.",
		Key: "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the key in lower case (.../vaults/VAULT/keys/NAME); the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the key as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the key."},
			{Name: "resource_group", Type: store.TypeText, Description: "Resource group of the vault in lower case."},
			{Name: "vault_id", Type: store.TypeText, Description: "Lower-cased id of the vault; joins azure_key_vault.id."},
			{Name: "vault_name", Type: store.TypeText, Description: "Name of the vault."},
			{Name: "key_uri", Type: store.TypeText, Description: "Data plane URI of the key, without version."},
			{Name: "key_uri_with_version", Type: store.TypeText, Description: "Data plane URI of the key's current version."},
			{Name: "kty", Type: store.TypeText, Description: "Key type: EC, EC-HSM, RSA or RSA-HSM."},
			{Name: "key_size", Type: store.TypeInt, Description: "Size of an RSA key in bits."},
			{Name: "curve_name", Type: store.TypeText, Description: "Elliptic curve of an EC key: P-256, P-384, P-521 or P-256K."},
			{Name: "key_ops", Type: store.TypeTextList, Description: "Operations the key allows: encrypt, decrypt, sign, verify, wrapKey, unwrapKey, import, release."},
			{Name: "enabled", Type: store.TypeBool, Description: "True when the key can be used."},
			{Name: "not_before", Type: store.TypeTimestamp, Description: "Time before which the key cannot be used; NULL when not set."},
			{Name: "expires", Type: store.TypeTimestamp, Description: "Expiry time of the key; NULL when the key never expires."},
			{Name: "created", Type: store.TypeTimestamp, Description: "Time the key was created."},
			{Name: "updated", Type: store.TypeTimestamp, Description: "Time the key was last updated."},
			{Name: "recovery_level", Type: store.TypeText, Description: "Deletion recovery level, such as Recoverable+Purgeable or Recoverable+ProtectedSubscription."},
			{Name: "exportable", Type: store.TypeBool, Description: "True when the private key can be exported (secure key release)."},
			{Name: "rotation_policy", Type: store.TypeJSON, Description: "Rotation policy: expiry time of new versions and the lifetime actions (Rotate, Notify)."},
			{Name: "auto_rotation_enabled", Type: store.TypeBool, Description: "True when the rotation policy has a Rotate action."},
		},
	}, fetchKeyVaultKeys)
}

func fetchKeyVaultKeys(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	vaults, err := graphResources[armkeyvault.Vault](ctx, c, keyVaultType)
	if err != nil {
		return err
	}
	client, err := armkeyvault.NewKeysClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create Key Vault keys client: %w", err)
	}
	return eachConcurrently(ctx, c.concurrency(), vaults, func(ctx context.Context, v *armkeyvault.Vault, emit func(tables.Record) error) error {
		pages := client.NewListPager(ResourceGroup(deref(v.ID)), deref(v.Name), nil)
		for pages.More() {
			page, err := pages.NextPage(ctx)
			if resourceGone(err) {
				skipGone("Key Vault", deref(v.ID), err)
				return nil
			}
			if err != nil {
				return fmt.Errorf("list keys of Key Vault %s: %w", deref(v.Name), err)
			}
			for _, k := range page.Value {
				if k != nil {
					if err := emit(keyVaultKeyRow(v, k)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}, emit)
}

// keyVaultKeyRow builds the azure_key_vault_key record of key k of vault v.
// Rows take the vault's location.
func keyVaultKeyRow(v *armkeyvault.Vault, k *armkeyvault.Key) tables.Record {
	rec := vaultChildRecord(v, k.ID, k.Name, k.Tags)
	if p := k.Properties; p != nil {
		rec["key_uri"] = p.KeyURI
		rec["key_uri_with_version"] = p.KeyURIWithVersion
		rec["kty"] = p.Kty
		rec["key_size"] = p.KeySize
		rec["curve_name"] = p.CurveName
		ops := []string{}
		for _, op := range p.KeyOps {
			if op != nil {
				ops = append(ops, string(*op))
			}
		}
		rec["key_ops"] = ops
		if a := p.Attributes; a != nil {
			rec["enabled"] = a.Enabled
			rec["not_before"] = unixTime(a.NotBefore)
			rec["expires"] = unixTime(a.Expires)
			rec["created"] = unixTime(a.Created)
			rec["updated"] = unixTime(a.Updated)
			rec["recovery_level"] = a.RecoveryLevel
			rec["exportable"] = a.Exportable
		}
		if rp := p.RotationPolicy; rp != nil {
			rec["rotation_policy"] = rp
			auto := false
			for _, action := range rp.LifetimeActions {
				if action != nil && action.Action != nil && action.Action.Type != nil && *action.Action.Type == armkeyvault.KeyRotationPolicyActionTypeRotate {
					auto = true
				}
			}
			rec["auto_rotation_enabled"] = auto
		}
	}
	rec["raw"] = k
	return rec
}

// vaultChildRecord returns the columns that keys and secrets share.
func vaultChildRecord(v *armkeyvault.Vault, id, name *string, tags map[string]*string) tables.Record {
	vaultID := parentID(deref(id))
	if vaultID == "" {
		vaultID = deref(v.ID)
	}
	return tables.Record{
		"id":             LowerID(deref(id)),
		"arm_id":         textOrNil(deref(id)),
		"name":           name,
		"resource_group": textOrNil(ResourceGroup(vaultID)),
		"vault_id":       LowerID(vaultID),
		"vault_name":     textOrNil(idSegment(vaultID, "vaults")),
		"region":         Region(deref(v.Location)),
		"tags":           Tags(tags),
	}
}

// unixTime converts the seconds since the Unix epoch that the Key Vault
// management API uses for key attributes.
func unixTime(sec *int64) *time.Time {
	if sec == nil {
		return nil
	}
	t := time.Unix(*sec, 0).UTC()
	return &t
}
