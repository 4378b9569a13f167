package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_compute_subnetwork",
		description: "VPC subnetworks with their ranges, Private Google Access and VPC flow logs settings.",
		assetTypes:  []string{"compute.googleapis.com/Subnetwork"},
		columns: []column{
			field("name", store.TypeText, "Name of the subnetwork."),
			field("id", store.TypeText, "Numeric ID of the subnetwork, as a string."),
			field("description", store.TypeText, "Description of the subnetwork."),
			field("network", store.TypeText, "URL of the network of the subnetwork."),
			field("ip_cidr_range", store.TypeText, "Primary internal IPv4 range."),
			field("secondary_ip_ranges", store.TypeJSON, "Secondary ranges, such as those of GKE pods and services."),
			field("gateway_address", store.TypeText, "Gateway address of the subnetwork."),
			field("private_ip_google_access", store.TypeBool, "True when instances without external IPs may reach Google APIs (Private Google Access)."),
			field("purpose", store.TypeText, "PRIVATE, REGIONAL_MANAGED_PROXY, PRIVATE_SERVICE_CONNECT and others."),
			field("stack_type", store.TypeText, "IPV4_ONLY or IPV4_IPV6."),
			field("log_config_enable", store.TypeBool, "True when VPC flow logs are on; older records call it enableFlowLogs.",
				"logConfig.enable", "enableFlowLogs"),
			field("log_config", store.TypeJSON, "VPC flow logs settings: aggregation interval, sampling, metadata and filter."),
			field("creation_timestamp", store.TypeTimestamp, "Time the subnetwork was created."),
		},
	})
}
