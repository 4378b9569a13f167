package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_dns_managed_zone",
		description: "Cloud DNS managed zones with their visibility and DNSSEC settings.",
		assetTypes:  []string{"dns.googleapis.com/ManagedZone"},
		columns: []column{
			field("name", store.TypeText, "Name of the zone."),
			field("id", store.TypeText, "Numeric ID of the zone, as a string."),
			field("dns_name", store.TypeText, "DNS name of the zone, such as example.com."),
			field("description", store.TypeText, "Description of the zone."),
			field("visibility", store.TypeText, "public or private."),
			field("dnssec_config_state", store.TypeText, "DNSSEC state: on, off or transfer; NULL when never configured.", "dnssecConfig.state"),
			field("dnssec_config_default_key_specs", store.TypeJSON,
				"DNSSEC key specifications, each with a key type (keySigning or zoneSigning), algorithm and length.",
				"dnssecConfig.defaultKeySpecs"),
			field("creation_time", store.TypeTimestamp, "Time the zone was created."),
		},
	})
}
