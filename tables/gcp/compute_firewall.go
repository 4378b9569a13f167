package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name: "gcp_compute_firewall",
		// Older exports name the list fields in the singular (sourceRange,
		// targetTag) and the protocol field ipProtocol: the columns read
		// both, and allowed and denied keep the entries as written.
		description: "VPC firewall rules with their direction, sources, targets, allowed and denied protocols and ports, and logging.",
		assetTypes:  []string{"compute.googleapis.com/Firewall"},
		columns: []column{
			field("name", store.TypeText, "Name of the rule."),
			field("id", store.TypeText, "Numeric ID of the rule, as a string."),
			field("description", store.TypeText, "Description of the rule."),
			field("network", store.TypeText, "URL of the VPC network the rule applies to."),
			field("direction", store.TypeText, "INGRESS or EGRESS."),
			field("priority", store.TypeInt, "Priority from 0 (highest) to 65535; 1000 by default."),
			field("disabled", store.TypeBool, "True when the rule is disabled and not enforced."),
			field("source_ranges", store.TypeTextList, "Source IPv4 or IPv6 ranges in CIDR notation of an ingress rule.", "sourceRanges", "sourceRange"),
			field("destination_ranges", store.TypeTextList, "Destination ranges in CIDR notation of an egress rule.", "destinationRanges", "destinationRange"),
			field("source_tags", store.TypeTextList, "Network tags of the source instances.", "sourceTags", "sourceTag"),
			field("target_tags", store.TypeTextList, "Network tags of the instances the rule applies to; empty means every instance of the network.", "targetTags", "targetTag"),
			field("source_service_accounts", store.TypeTextList, "Service accounts of the source instances.", "sourceServiceAccounts", "sourceServiceAccount"),
			field("target_service_accounts", store.TypeTextList, "Service accounts of the instances the rule applies to.", "targetServiceAccounts", "targetServiceAccount"),
			field("allowed", store.TypeJSON, "Protocols and ports that the rule allows, each as IPProtocol and ports.", "allowed", "allow"),
			field("denied", store.TypeJSON, "Protocols and ports that the rule denies.", "denied", "deny"),
			field("log_config_enable", store.TypeBool, "True when firewall rules logging is on.", "logConfig.enable"),
			field("creation_timestamp", store.TypeTimestamp, "Time the rule was created."),
		},
	})
}
