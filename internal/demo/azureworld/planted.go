package azureworld

import "strings"

// Finding is one misconfiguration planted in the demo world on purpose.
type Finding struct {
	// Subscription is the ID of the subscription that holds the resource.
	Subscription string
	// Control is the id of the CIS Azure control that reports it.
	Control string
	// Resource is the result's resource: the lower-cased ARM id of the
	// resource, or of the subscription for subscription-wide settings.
	Resource string
	// Problem describes what is wrong, in one or two sentences.
	Problem string
}

// prodID returns the lower-cased ARM id of a resource of contoso-prod.
func prodID(resourceGroup, provider, name string) string {
	return strings.ToLower("/subscriptions/" + ProdSubscriptionID + "/resourceGroups/" + resourceGroup + "/providers/" + provider + "/" + name)
}

// Planted returns the misconfigurations planted in contoso-prod.
//
// The list is not every finding of the pack in the demo. A planted
// resource usually fails several controls at once: the public storage
// account also keeps no deleted blobs and has no private endpoint, for
// example. The list names each resource once, under the control that shows
// why it was planted, plus the subscription-wide settings that were left
// as Azure creates them.
func Planted() []Finding {
	prod := "/subscriptions/" + ProdSubscriptionID
	return []Finding{
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_network_security_group_ssh_restricted",
			Resource:     prodID("rg-web", "Microsoft.Network/networkSecurityGroups", "nsg-web"),
			Problem:      "Rule allow-ssh-anywhere of nsg-web allows TCP port 22 from any source (*), left over from debugging the web tier.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_storage_account_blob_public_access_disabled",
			Resource:     prodID("rg-data", "Microsoft.Storage/storageAccounts", "contosoprodexports"),
			Problem:      "Storage account contosoprodexports, tagged confidential, allows anonymous blob access, so any container can be made public.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_storage_account_blob_public_access_disabled",
			Resource:     prodID("rg-data", "Microsoft.Storage/storageAccounts", "contosoprodlegacy"),
			Problem: "Storage account contosoprodlegacy was created in 2019 and never sets allowBlobPublicAccess, " +
				"which Azure treats as allowed; it also accepts plain HTTP and TLS 1.0.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_storage_account_min_tls_1_2",
			Resource:     prodID("rg-data", "Microsoft.Storage/storageAccounts", "contosoprodlegacy"),
			Problem:      "Storage account contosoprodlegacy accepts TLS 1.0.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_sql_server_firewall_no_internet",
			Resource:     prodID("rg-sql", "Microsoft.Sql/servers", "sql-contoso-prod"),
			Problem:      "SQL server sql-contoso-prod has a firewall rule temp-allow-all from 0.0.0.0 to 255.255.255.255 and public network access enabled.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_sql_server_auditing_enabled",
			Resource:     prodID("rg-sql", "Microsoft.Sql/servers", "sql-contoso-prod"),
			Problem:      "SQL server sql-contoso-prod has auditing off.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_key_vault_rbac_key_expiration_set",
			Resource:     prodID("rg-sec", "Microsoft.KeyVault/vaults", "kv-contoso-prod") + "/keys/payments-cmk",
			Problem:      "Key payments-cmk in kv-contoso-prod never expires.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_key_vault_purge_protection_enabled",
			Resource:     prodID("rg-sec", "Microsoft.KeyVault/vaults", "kv-contoso-prod"),
			Problem:      "Key vault kv-contoso-prod has no purge protection, so deleting it can destroy payments-cmk for good.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_app_service_ftps_only",
			Resource:     prodID("rg-web", "Microsoft.Web/sites", "app-contoso-shop"),
			Problem:      "Web app app-contoso-shop accepts plain FTP deployments and TLS 1.0.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_security_defender_storage_enabled",
			Resource:     prod,
			Problem:      "Defender for Cloud is on for servers and SQL only; Defender for Storage, Key Vault, App Service and Resource Manager are off.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_security_defender_key_vault_enabled",
			Resource:     prod,
			Problem:      "Defender for Key Vault is off.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_security_contact_email_configured",
			Resource:     prod,
			Problem:      "The security contact has no email address and does not notify the subscription owners.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_monitor_subscription_diagnostic_setting_exists",
			Resource:     prod,
			Problem:      "The activity log is not exported, so its 90 days are all there is.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_monitor_alert_policy_assignment_delete",
			Resource:     prod,
			Problem:      "The only activity log alert watches changes of network security groups; deleting a policy assignment raises no alert.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_authorization_no_custom_owner_roles",
			Resource:     "/subscriptions/" + ProdSubscriptionID + "/providers/microsoft.authorization/roledefinitions/c0ffee00-0000-4000-8000-000000000001",
			Problem:      "Custom role Contoso Ops Admin allows every action (*) on the subscription.",
		},
		{
			Subscription: ProdSubscriptionID,
			Control:      "azure_authorization_subscription_owners_2_to_3",
			Resource:     prod,
			Problem:      "The subscription has a single Owner.",
		},
	}
}
