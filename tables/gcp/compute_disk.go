package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_compute_disk",
		description: "Persistent disks, zonal and regional, with their size, users, encryption key and snapshot schedules.",
		assetTypes:  []string{"compute.googleapis.com/Disk", "compute.googleapis.com/RegionDisk"},
		columns: []column{
			field("name", store.TypeText, "Name of the disk."),
			field("id", store.TypeText, "Numeric ID of the disk, as a string."),
			field("zone", store.TypeText, "URL of the zone of a zonal disk."),
			field("replica_zones", store.TypeTextList, "URLs of the zones of a regional disk."),
			field("type", store.TypeText, "URL of the disk type, such as pd-standard or pd-ssd."),
			field("size_gb", store.TypeInt, "Size in GB."),
			field("status", store.TypeText, "CREATING, RESTORING, FAILED, READY or DELETING."),
			field("source_image", store.TypeText, "Image the disk was created from."),
			field("source_snapshot", store.TypeText, "Snapshot the disk was created from."),
			field("users", store.TypeTextList, "URLs of the instances that use the disk.", "users", "user"),
			field("disk_encryption_key_kms_key_name", store.TypeText,
				"Cloud KMS key that encrypts the disk; NULL for Google-managed or customer-supplied keys.", "diskEncryptionKey.kmsKeyName"),
			field("disk_encryption_key_sha256", store.TypeText,
				"SHA-256 of a customer-supplied encryption key (CSEK); NULL otherwise.", "diskEncryptionKey.sha256"),
			field("resource_policies", store.TypeTextList, "Resource policies, such as snapshot schedules, attached to the disk.", "resourcePolicies", "resourcePolicy"),
			field("creation_timestamp", store.TypeTimestamp, "Time the disk was created."),
			field("last_attach_timestamp", store.TypeTimestamp, "Time the disk was last attached to an instance."),
		},
		redact: []string{"diskEncryptionKey.rawKey", "diskEncryptionKey.rsaEncryptedKey"},
	})
}
