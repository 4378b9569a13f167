package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_compute_network",
		description: "VPC networks with their subnet mode, routing mode and peerings.",
		assetTypes:  []string{"compute.googleapis.com/Network"},
		columns: []column{
			field("name", store.TypeText, "Name of the network; default for the network that new projects get."),
			field("id", store.TypeText, "Numeric ID of the network, as a string."),
			field("description", store.TypeText, "Description of the network."),
			field("auto_create_subnetworks", store.TypeBool, "True for an auto mode network, which creates a subnetwork in every region."),
			field("ipv4_range", store.TypeText, "Range of a legacy network, which has no subnetworks; NULL for VPC networks.", "IPv4Range"),
			field("routing_mode", store.TypeText, "REGIONAL or GLOBAL dynamic routing.", "routingConfig.routingMode"),
			field("mtu", store.TypeInt, "Maximum transmission unit in bytes."),
			field("subnetworks", store.TypeTextList, "URLs of the network's subnetworks.", "subnetworks", "subnetwork"),
			field("peerings", store.TypeJSON, "Network peerings with their state and exchanged routes."),
			field("creation_timestamp", store.TypeTimestamp, "Time the network was created."),
		},
	})
}
