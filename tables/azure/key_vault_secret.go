package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/keyvault/armkeyvault"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_key_vault_secret",
		Description: "Secrets of Key Vaults, metadata only: content type, state and expiry. stance reads them through the management plane, " +
			"which never returns secret values, and drops the value field from every response before storing it.",
		Key: "id",
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the secret in lower case (.../vaults/VAULT/secrets/NAME); the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the secret as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the secret."},
			{Name: "resource_group", Type: store.TypeText, Description: "Resource group of the vault in lower case."},
			{Name: "vault_id", Type: store.TypeText, Description: "Lower-cased id of the vault; joins azure_key_vault.id."},
			{Name: "vault_name", Type: store.TypeText, Description: "Name of the vault."},
			{Name: "secret_uri", Type: store.TypeText, Description: "Data plane URI of the secret, without version."},
			{Name: "secret_uri_with_version", Type: store.TypeText, Description: "Data plane URI of the secret's current version."},
			{Name: "content_type", Type: store.TypeText, Description: "Content type that the owner set, such as application/x-pkcs12 for a certificate."},
			{Name: "enabled", Type: store.TypeBool, Description: "True when the secret can be read."},
			{Name: "not_before", Type: store.TypeTimestamp, Description: "Time before which the secret cannot be read; NULL when not set."},
			{Name: "expires", Type: store.TypeTimestamp, Description: "Expiry time of the secret; NULL when the secret never expires."},
			{Name: "created", Type: store.TypeTimestamp, Description: "Time the secret was created."},
			{Name: "updated", Type: store.TypeTimestamp, Description: "Time the secret was last updated."},
		},
	}, fetchKeyVaultSecrets)
}

func fetchKeyVaultSecrets(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	vaults, err := graphResources[armkeyvault.Vault](ctx, c, keyVaultType)
	if err != nil {
		return err
	}
	client, err := armkeyvault.NewSecretsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create Key Vault secrets client: %w", err)
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
				return fmt.Errorf("list secrets of Key Vault %s: %w", deref(v.Name), err)
			}
			for _, s := range page.Value {
				if s != nil {
					if err := emit(keyVaultSecretRow(v, s)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}, emit)
}

// keyVaultSecretRow builds the azure_key_vault_secret record of secret s
// of vault v. It never keeps a value, even when a response carries one.
func keyVaultSecretRow(v *armkeyvault.Vault, s *armkeyvault.Secret) tables.Record {
	rec := vaultChildRecord(v, s.ID, s.Name, s.Tags)
	redacted := *s
	if p := s.Properties; p != nil {
		props := *p
		props.Value = nil
		redacted.Properties = &props
		rec["secret_uri"] = p.SecretURI
		rec["secret_uri_with_version"] = p.SecretURIWithVersion
		rec["content_type"] = p.ContentType
		if a := p.Attributes; a != nil {
			rec["enabled"] = a.Enabled
			rec["not_before"] = a.NotBefore
			rec["expires"] = a.Expires
			rec["created"] = a.Created
			rec["updated"] = a.Updated
		}
	}
	rec["raw"] = &redacted
	return rec
}
