package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_compute_project",
		description: "Compute Engine settings of a project, with the project-wide metadata that every instance inherits.",
		assetTypes:  []string{"compute.googleapis.com/Project"},
		columns: []column{
			field("name", store.TypeText, "Project ID."),
			field("id", store.TypeText, "Numeric ID of the project, as a string."),
			computed("common_instance_metadata", store.TypeJSON,
				"Project-wide metadata as an object of key to value, such as enable-oslogin and block-project-ssh-keys.",
				func(v *view) (any, error) { return metadataMap(v, "commonInstanceMetadata") }),
			field("default_service_account", store.TypeText, "Default service account of Compute Engine instances."),
			field("xpn_project_status", store.TypeText, "HOST for a Shared VPC host project, else UNSPECIFIED_XPN_PROJECT_STATUS."),
			field("creation_timestamp", store.TypeTimestamp, "Time Compute Engine was enabled."),
		},
	})
}
