package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/sql/armsql"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

const sqlServerType = "microsoft.sql/servers"

func init() {
	register(&tables.Table{
		Name: "azure_sql_server",
		Description: "Azure SQL logical servers with their network and TLS settings, Microsoft Entra administrator, " +
			"server auditing policy and TDE protector (Transparent Data Encryption key).",
		Key: "id",
		Columns: append(resourceColumns("SQL server"),
			store.Column{Name: "fully_qualified_domain_name", Type: store.TypeText, Description: "Host name of the server, NAME.database.windows.net."},
			store.Column{Name: "version", Type: store.TypeText, Description: "Version of the server, such as 12.0."},
			store.Column{Name: "state", Type: store.TypeText, Description: "State of the server, such as Ready."},
			store.Column{Name: "administrator_login", Type: store.TypeText, Description: "Login name of the SQL administrator (never its password)."},
			store.Column{Name: "public_network_access", Type: store.TypeText, Description: "Public network access: Enabled, Disabled or SecuredByPerimeter."},
			store.Column{Name: "minimal_tls_version", Type: store.TypeText, Description: "Minimum TLS version of connections: None, 1.0, 1.1, 1.2 or 1.3."},
			store.Column{Name: "restrict_outbound_network_access", Type: store.TypeText, Description: "Outbound network restriction: Enabled or Disabled."},
			store.Column{Name: "entra_administrator_login", Type: store.TypeText, Description: "Login of the Microsoft Entra administrator; NULL when none is set."},
			store.Column{Name: "entra_administrator_sid", Type: store.TypeText, Description: "Object id of the Microsoft Entra administrator."},
			store.Column{Name: "entra_only_authentication", Type: store.TypeBool, Description: "True when only Microsoft Entra authentication is allowed (azureADOnlyAuthentication)."},
			store.Column{Name: "identity_type", Type: store.TypeText, Description: "Managed identity of the server: SystemAssigned, UserAssigned, both or None."},
			store.Column{Name: "auditing_state", Type: store.TypeText, Description: "Server auditing: Enabled or Disabled; NULL when the policy could not be read."},
			store.Column{Name: "auditing_retention_days", Type: store.TypeInt, Description: "Days audit logs are kept in the storage account; 0 means forever."},
			store.Column{Name: "auditing_is_azure_monitor_target_enabled", Type: store.TypeBool, Description: "True when audit events are sent to Azure Monitor (Log Analytics or Event Hubs)."},
			store.Column{Name: "auditing_storage_endpoint", Type: store.TypeText, Description: "Blob endpoint of the storage account that receives audit logs."},
			store.Column{Name: "auditing_audit_actions_and_groups", Type: store.TypeTextList, Description: "Audited action groups and actions."},
			store.Column{Name: "auditing_policy", Type: store.TypeJSON, Description: "Server blob auditing policy as the API returns it, without the storage account access key."},
			store.Column{Name: "tde_protector_server_key_type", Type: store.TypeText, Description: "Key that protects the TDE keys of the server's databases: ServiceManaged or AzureKeyVault (customer-managed)."},
			store.Column{Name: "tde_protector_server_key_name", Type: store.TypeText, Description: "Name of the server key used as TDE protector."},
			store.Column{Name: "tde_protector_uri", Type: store.TypeText, Description: "Key Vault URI of a customer-managed TDE protector."},
			store.Column{Name: "tde_protector_auto_rotation_enabled", Type: store.TypeBool, Description: "True when the TDE protector follows new versions of its Key Vault key."},
		),
	}, fetchSQLServers)
}

func fetchSQLServers(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	servers, err := graphResources[armsql.Server](ctx, c, sqlServerType)
	if err != nil {
		return err
	}
	auditing, err := armsql.NewServerBlobAuditingPoliciesClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create SQL auditing client: %w", err)
	}
	protectors, err := armsql.NewEncryptionProtectorsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create SQL encryption protector client: %w", err)
	}
	return eachConcurrently(ctx, c.concurrency(), servers, func(ctx context.Context, s *armsql.Server, emit func(tables.Record) error) error {
		group, name := ResourceGroup(deref(s.ID)), deref(s.Name)
		audit, err := auditing.Get(ctx, group, name, nil)
		if resourceGone(err) {
			skipGone("SQL server", deref(s.ID), err)
			return nil
		}
		if err != nil {
			return fmt.Errorf("get auditing policy of SQL server %s: %w", name, err)
		}
		protector, err := protectors.Get(ctx, group, name, armsql.EncryptionProtectorNameCurrent, nil)
		if resourceGone(err) {
			skipGone("SQL server", deref(s.ID), err)
			return nil
		}
		if err != nil {
			return fmt.Errorf("get TDE protector of SQL server %s: %w", name, err)
		}
		return emit(sqlServerRow(s, &audit.ServerBlobAuditingPolicy, &protector.EncryptionProtector))
	}, emit)
}

// sqlServerRow builds the azure_sql_server record of a server, its
// auditing policy and its TDE protector; either may be nil when unknown.
func sqlServerRow(s *armsql.Server, audit *armsql.ServerBlobAuditingPolicy, protector *armsql.EncryptionProtector) tables.Record {
	rec := resourceRecord(s.ID, s.Name, s.Location, s.Tags)
	if s.Identity != nil {
		rec["identity_type"] = s.Identity.Type
	}
	if p := s.Properties; p != nil {
		rec["fully_qualified_domain_name"] = p.FullyQualifiedDomainName
		rec["version"] = p.Version
		rec["state"] = p.State
		rec["administrator_login"] = p.AdministratorLogin
		rec["public_network_access"] = p.PublicNetworkAccess
		rec["minimal_tls_version"] = p.MinimalTLSVersion
		rec["restrict_outbound_network_access"] = p.RestrictOutboundNetworkAccess
		if a := p.Administrators; a != nil {
			rec["entra_administrator_login"] = a.Login
			rec["entra_administrator_sid"] = a.Sid
			rec["entra_only_authentication"] = a.AzureADOnlyAuthentication
		}
	}
	if audit != nil && audit.Properties != nil {
		// The policy may carry the storage account key in requests; drop it
		// in case a response ever echoes it.
		redacted := *audit
		props := *audit.Properties
		props.StorageAccountAccessKey = nil
		redacted.Properties = &props
		rec["auditing_state"] = props.State
		rec["auditing_retention_days"] = props.RetentionDays
		rec["auditing_is_azure_monitor_target_enabled"] = props.IsAzureMonitorTargetEnabled
		rec["auditing_storage_endpoint"] = textOrNil(deref(props.StorageEndpoint))
		rec["auditing_audit_actions_and_groups"] = stringList(props.AuditActionsAndGroups)
		rec["auditing_policy"] = &redacted
	}
	if protector != nil && protector.Properties != nil {
		p := protector.Properties
		rec["tde_protector_server_key_type"] = p.ServerKeyType
		rec["tde_protector_server_key_name"] = p.ServerKeyName
		rec["tde_protector_uri"] = p.URI
		rec["tde_protector_auto_rotation_enabled"] = p.AutoRotationEnabled
	}
	rec["raw"] = redactSQLServer(s)
	return rec
}

func redactSQLServer(s *armsql.Server) *armsql.Server {
	if s.Properties == nil || s.Properties.AdministratorLoginPassword == nil {
		return s
	}
	out := *s
	props := *s.Properties
	props.AdministratorLoginPassword = nil
	out.Properties = &props
	return &out
}
