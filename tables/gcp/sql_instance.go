package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name: "gcp_sql_instance",
		description: "Cloud SQL instances with their engine version, IP configuration, SSL enforcement, " +
			"backups and database flags.",
		assetTypes: []string{"sqladmin.googleapis.com/Instance"},
		labels:     "settings.userLabels",
		columns: []column{
			field("name", store.TypeText, "Name of the instance."),
			field("connection_name", store.TypeText, "Connection name, PROJECT:REGION:INSTANCE."),
			field("database_version", store.TypeText, "Engine and version, such as POSTGRES_15, MYSQL_8_0 or SQLSERVER_2019_STANDARD."),
			field("state", store.TypeText, "RUNNABLE, SUSPENDED, PENDING_DELETE, PENDING_CREATE, MAINTENANCE or FAILED."),
			field("instance_type", store.TypeText, "CLOUD_SQL_INSTANCE, ON_PREMISES_INSTANCE or READ_REPLICA_INSTANCE."),
			field("backend_type", store.TypeText, "FIRST_GEN, SECOND_GEN or EXTERNAL."),
			field("gce_zone", store.TypeText, "Zone of the primary."),
			field("settings_tier", store.TypeText, "Machine tier, such as db-custom-2-7680.", "settings.tier"),
			field("settings_availability_type", store.TypeText, "ZONAL or REGIONAL (high availability).", "settings.availabilityType"),
			field("ip_configuration_ipv4_enabled", store.TypeBool, "True when the instance has a public IPv4 address.",
				"settings.ipConfiguration.ipv4Enabled"),
			field("ip_configuration_require_ssl", store.TypeBool, "True when connections must use SSL (older setting, see ssl_mode).",
				"settings.ipConfiguration.requireSsl"),
			field("ip_configuration_ssl_mode", store.TypeText,
				"ALLOW_UNENCRYPTED_AND_ENCRYPTED, ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED; NULL when not set.",
				"settings.ipConfiguration.sslMode"),
			field("ip_configuration_private_network", store.TypeText, "VPC network of the private IP, if any.",
				"settings.ipConfiguration.privateNetwork"),
			field("ip_configuration_authorized_networks", store.TypeJSON, "Networks allowed to connect to the public IP, each with a value in CIDR notation.",
				"settings.ipConfiguration.authorizedNetworks"),
			field("ip_addresses", store.TypeJSON, "Assigned IP addresses with their type: PRIMARY (public), PRIVATE or OUTGOING."),
			field("backup_configuration_enabled", store.TypeBool, "True when automated backups are on.", "settings.backupConfiguration.enabled"),
			field("backup_configuration", store.TypeJSON, "Backup settings: start time, binary logging, point-in-time recovery, retention.",
				"settings.backupConfiguration"),
			field("database_flags", store.TypeJSON, "Database flags, each with a name and a value, such as log_connections or cross db ownership chaining.",
				"settings.databaseFlags"),
			field("maintenance_window", store.TypeJSON, "Maintenance window: day, hour and update track.", "settings.maintenanceWindow"),
			field("create_time", store.TypeTimestamp, "Time the instance was created."),
		},
		redact: []string{"rootPassword"},
	})
}
