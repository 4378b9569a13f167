package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/keyvault/armkeyvault"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

const keyVaultType = "microsoft.keyvault/vaults"

func init() {
	register(&tables.Table{
		Name:        "azure_key_vault",
		Description: "Key Vaults with their recovery settings, access model and network rules. Keys and secrets are in azure_key_vault_key and azure_key_vault_secret.",
		Key:         "id",
		Columns: append(resourceColumns("vault"),
			store.Column{Name: "vault_uri", Type: store.TypeText, Description: "URI of the vault's data plane, https://NAME.vault.azure.net/."},
			store.Column{Name: "sku_name", Type: store.TypeText, Description: "SKU: standard or premium."},
			store.Column{Name: "tenant_id", Type: store.TypeText, Description: "Microsoft Entra tenant that authenticates requests to the vault."},
			store.Column{Name: "enable_soft_delete", Type: store.TypeBool, Description: "True when deleted vaults and objects are kept for the retention period. NULL means the API left it out; Azure now enables it on every vault."},
			store.Column{Name: "soft_delete_retention_in_days", Type: store.TypeInt, Description: "Days deleted objects are kept, 7 to 90."},
			store.Column{Name: "enable_purge_protection", Type: store.TypeBool, Description: "True when deleted objects cannot be purged before the retention period ends; NULL means not enabled."},
			store.Column{Name: "enable_rbac_authorization", Type: store.TypeBool, Description: "True when data plane access is authorised with Azure RBAC instead of access policies."},
			store.Column{Name: "enabled_for_deployment", Type: store.TypeBool, Description: "True when virtual machines may retrieve certificates stored as secrets."},
			store.Column{Name: "enabled_for_disk_encryption", Type: store.TypeBool, Description: "True when Azure Disk Encryption may retrieve secrets and unwrap keys."},
			store.Column{Name: "enabled_for_template_deployment", Type: store.TypeBool, Description: "True when Azure Resource Manager deployments may retrieve secrets."},
			store.Column{Name: "public_network_access", Type: store.TypeText, Description: "Public network access: Enabled or Disabled."},
			store.Column{Name: "network_acls_default_action", Type: store.TypeText, Description: "Action for traffic that no network rule matches: Allow or Deny; NULL when the vault has no network rules, which allows all."},
			store.Column{Name: "network_acls_bypass", Type: store.TypeText, Description: "Traffic that bypasses the network rules: AzureServices or None."},
			store.Column{Name: "network_acls_ip_rules", Type: store.TypeTextList, Description: "IPv4 addresses and ranges allowed by the network rules."},
			store.Column{Name: "network_acls_virtual_network_rules", Type: store.TypeTextList, Description: "Lower-cased ids of the subnets allowed by the network rules."},
			store.Column{Name: "access_policy_count", Type: store.TypeInt, Description: "Number of access policy entries."},
			store.Column{Name: "access_policies", Type: store.TypeJSON, Description: "Access policy entries: tenant, object id and the key, secret and certificate permissions of each."},
			store.Column{Name: "private_endpoint_connection_count", Type: store.TypeInt, Description: "Number of private endpoint connections of the vault."},
			store.Column{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state of the vault."},
		),
	}, fetchKeyVaults)
}

func fetchKeyVaults(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	vaults, err := graphResources[armkeyvault.Vault](ctx, c, keyVaultType)
	if err != nil {
		return err
	}
	for _, v := range vaults {
		if err := emit(keyVaultRow(v)); err != nil {
			return err
		}
	}
	return nil
}

// keyVaultRow builds the azure_key_vault record of a vault.
func keyVaultRow(v *armkeyvault.Vault) tables.Record {
	rec := resourceRecord(v.ID, v.Name, v.Location, v.Tags)
	if p := v.Properties; p != nil {
		rec["vault_uri"] = p.VaultURI
		if p.SKU != nil {
			rec["sku_name"] = p.SKU.Name
		}
		rec["tenant_id"] = p.TenantID
		rec["enable_soft_delete"] = p.EnableSoftDelete
		rec["soft_delete_retention_in_days"] = p.SoftDeleteRetentionInDays
		rec["enable_purge_protection"] = p.EnablePurgeProtection
		rec["enable_rbac_authorization"] = p.EnableRbacAuthorization
		rec["enabled_for_deployment"] = p.EnabledForDeployment
		rec["enabled_for_disk_encryption"] = p.EnabledForDiskEncryption
		rec["enabled_for_template_deployment"] = p.EnabledForTemplateDeployment
		rec["public_network_access"] = p.PublicNetworkAccess
		rec["provisioning_state"] = p.ProvisioningState
		rec["access_policy_count"] = len(p.AccessPolicies)
		rec["access_policies"] = p.AccessPolicies
		rec["private_endpoint_connection_count"] = len(p.PrivateEndpointConnections)
		if n := p.NetworkACLs; n != nil {
			rec["network_acls_default_action"] = n.DefaultAction
			rec["network_acls_bypass"] = n.Bypass
			ips := []string{}
			for _, r := range n.IPRules {
				if r != nil && r.Value != nil {
					ips = append(ips, *r.Value)
				}
			}
			rec["network_acls_ip_rules"] = ips
			subnets := []*string{}
			for _, r := range n.VirtualNetworkRules {
				if r != nil {
					subnets = append(subnets, r.ID)
				}
			}
			rec["network_acls_virtual_network_rules"] = LowerIDs(subnets)
		}
	}
	rec["raw"] = v
	return rec
}
