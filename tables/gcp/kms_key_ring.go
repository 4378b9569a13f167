package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_kms_key_ring",
		description: "Cloud KMS key rings, the location-bound groups that hold crypto keys.",
		assetTypes:  []string{"cloudkms.googleapis.com/KeyRing"},
		columns: []column{
			field("name", store.TypeText, "Resource name, projects/PROJECT/locations/LOCATION/keyRings/KEY_RING."),
			field("create_time", store.TypeTimestamp, "Time the key ring was created."),
		},
	})
}
