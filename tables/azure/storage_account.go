package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage/v2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_storage_account",
		Description: "Storage accounts with their network rules, minimum TLS version, public blob access, secure transfer, " +
			"encryption and the blob service's soft delete and versioning settings.",
		Key: "id",
		Columns: append(resourceColumns("storage account"),
			store.Column{Name: "kind", Type: store.TypeText, Description: "Kind of account: StorageV2, Storage, BlobStorage, BlockBlobStorage or FileStorage."},
			store.Column{Name: "sku_name", Type: store.TypeText, Description: "SKU name, such as Standard_LRS or Premium_ZRS."},
			store.Column{Name: "sku_tier", Type: store.TypeText, Description: "SKU tier: Standard or Premium."},
			store.Column{Name: "access_tier", Type: store.TypeText, Description: "Default access tier of blobs: Hot, Cool, Cold or Premium."},
			store.Column{Name: "creation_time", Type: store.TypeTimestamp, Description: "Time the account was created."},
			store.Column{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state: Succeeded, Creating or ResolvingDNS."},
			store.Column{Name: "minimum_tls_version", Type: store.TypeText, Description: "Minimum TLS version that requests must use: TLS1_0, TLS1_1, TLS1_2 or TLS1_3. NULL means the service default, TLS1_0 for accounts created before November 2024."},
			store.Column{Name: "supports_https_traffic_only", Type: store.TypeBool, Description: "Secure transfer required: true when the account rejects HTTP requests."},
			store.Column{Name: "allow_blob_public_access", Type: store.TypeBool, Description: "True when containers may be configured for anonymous public read access. NULL means the API left it out, which older accounts treat as allowed."},
			store.Column{Name: "allow_shared_key_access", Type: store.TypeBool, Description: "True when requests may be authorised with the account key. NULL means allowed."},
			store.Column{Name: "allow_cross_tenant_replication", Type: store.TypeBool, Description: "True when object replication to accounts in other tenants is allowed."},
			store.Column{Name: "public_network_access", Type: store.TypeText, Description: "Public network access: Enabled, Disabled or SecuredByPerimeter; NULL means the network rules decide."},
			store.Column{Name: "network_acls_default_action", Type: store.TypeText, Description: "Action for traffic that no network rule matches: Allow or Deny."},
			store.Column{Name: "network_acls_bypass", Type: store.TypeTextList, Description: "Services that bypass the network rules: AzureServices, Logging, Metrics or None."},
			store.Column{Name: "network_acls_ip_rules", Type: store.TypeTextList, Description: "IPv4 and IPv6 addresses and ranges allowed by the network rules."},
			store.Column{Name: "network_acls_virtual_network_rules", Type: store.TypeTextList, Description: "Lower-cased ids of the subnets allowed by the network rules."},
			store.Column{Name: "encryption_key_source", Type: store.TypeText, Description: "Source of the encryption key: Microsoft.Storage (Microsoft-managed) or Microsoft.Keyvault (customer-managed)."},
			store.Column{Name: "encryption_key_vault_uri", Type: store.TypeText, Description: "Key Vault URI of the customer-managed key, NULL for Microsoft-managed keys."},
			store.Column{Name: "require_infrastructure_encryption", Type: store.TypeBool, Description: "True when data is encrypted a second time at the infrastructure level."},
			store.Column{Name: "private_endpoint_connection_count", Type: store.TypeInt, Description: "Number of private endpoint connections of the account."},
			store.Column{Name: "blob_delete_retention_policy_enabled", Type: store.TypeBool, Description: "Blob soft delete: true when deleted blobs are kept; NULL when the blob service properties could not be read or the kind has no blob service."},
			store.Column{Name: "blob_delete_retention_policy_days", Type: store.TypeInt, Description: "Blob soft delete: days deleted blobs are kept."},
			store.Column{Name: "container_delete_retention_policy_enabled", Type: store.TypeBool, Description: "Container soft delete: true when deleted containers are kept."},
			store.Column{Name: "container_delete_retention_policy_days", Type: store.TypeInt, Description: "Container soft delete: days deleted containers are kept."},
			store.Column{Name: "blob_versioning_enabled", Type: store.TypeBool, Description: "True when blob versioning is enabled (isVersioningEnabled of the blob service)."},
			store.Column{Name: "blob_service_properties", Type: store.TypeJSON, Description: "Properties of the account's default blob service as GET blobServices/default returns them."},
		),
	}, fetchStorageAccounts)
}

func fetchStorageAccounts(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	accounts, err := graphResources[armstorage.Account](ctx, c, "microsoft.storage/storageaccounts")
	if err != nil {
		return err
	}
	blobs, err := armstorage.NewBlobServicesClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create blob services client: %w", err)
	}
	return eachConcurrently(ctx, c.concurrency(), accounts, func(ctx context.Context, a *armstorage.Account, emit func(tables.Record) error) error {
		var props *armstorage.BlobServiceProperties
		if hasBlobService(a) {
			resp, err := blobs.GetServiceProperties(ctx, ResourceGroup(deref(a.ID)), deref(a.Name), nil)
			if resourceGone(err) {
				skipGone("storage account", deref(a.ID), err)
				return nil
			}
			if err != nil {
				return fmt.Errorf("get blob service properties of storage account %s: %w", deref(a.Name), err)
			}
			props = &resp.BlobServiceProperties
		}
		return emit(storageAccountRow(a, props))
	}, emit)
}

// hasBlobService reports whether an account kind has a blob service.
// FileStorage accounts hold Azure Files shares only.
func hasBlobService(a *armstorage.Account) bool {
	return a.Kind == nil || *a.Kind != armstorage.KindFileStorage
}

// storageAccountRow builds the azure_storage_account record of an account
// and the properties of its blob service (nil when unknown).
func storageAccountRow(a *armstorage.Account, blob *armstorage.BlobServiceProperties) tables.Record {
	rec := resourceRecord(a.ID, a.Name, a.Location, a.Tags)
	rec["kind"] = a.Kind
	if a.SKU != nil {
		rec["sku_name"] = a.SKU.Name
		rec["sku_tier"] = a.SKU.Tier
	}
	if p := a.Properties; p != nil {
		rec["access_tier"] = p.AccessTier
		rec["creation_time"] = p.CreationTime
		rec["provisioning_state"] = p.ProvisioningState
		rec["minimum_tls_version"] = p.MinimumTLSVersion
		rec["supports_https_traffic_only"] = p.EnableHTTPSTrafficOnly
		rec["allow_blob_public_access"] = p.AllowBlobPublicAccess
		rec["allow_shared_key_access"] = p.AllowSharedKeyAccess
		rec["allow_cross_tenant_replication"] = p.AllowCrossTenantReplication
		rec["public_network_access"] = p.PublicNetworkAccess
		rec["private_endpoint_connection_count"] = len(p.PrivateEndpointConnections)
		if n := p.NetworkRuleSet; n != nil {
			rec["network_acls_default_action"] = n.DefaultAction
			rec["network_acls_bypass"] = splitBypass(string(deref(n.Bypass)))
			ips := []string{}
			for _, r := range append(append([]*armstorage.IPRule{}, n.IPRules...), n.IPv6Rules...) {
				if r != nil && r.IPAddressOrRange != nil {
					ips = append(ips, *r.IPAddressOrRange)
				}
			}
			rec["network_acls_ip_rules"] = ips
			subnets := []*string{}
			for _, r := range n.VirtualNetworkRules {
				if r != nil {
					subnets = append(subnets, r.VirtualNetworkResourceID)
				}
			}
			rec["network_acls_virtual_network_rules"] = LowerIDs(subnets)
		}
		if e := p.Encryption; e != nil {
			rec["encryption_key_source"] = e.KeySource
			rec["require_infrastructure_encryption"] = e.RequireInfrastructureEncryption
			if e.KeyVaultProperties != nil {
				rec["encryption_key_vault_uri"] = e.KeyVaultProperties.KeyVaultURI
			}
		}
	}
	if blob != nil {
		rec["blob_service_properties"] = blob
		if bp := blob.BlobServiceProperties; bp != nil {
			if d := bp.DeleteRetentionPolicy; d != nil {
				rec["blob_delete_retention_policy_enabled"] = d.Enabled
				rec["blob_delete_retention_policy_days"] = d.Days
			}
			if d := bp.ContainerDeleteRetentionPolicy; d != nil {
				rec["container_delete_retention_policy_enabled"] = d.Enabled
				rec["container_delete_retention_policy_days"] = d.Days
			}
			rec["blob_versioning_enabled"] = bp.IsVersioningEnabled
		}
	}
	rec["raw"] = a
	return rec
}

// splitBypass splits the comma-separated bypass flags ("Logging, Metrics")
// into a list.
func splitBypass(s string) []string {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
