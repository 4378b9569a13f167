package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name: "gcp_storage_bucket",
		description: "Cloud Storage buckets with their access control mode, public access prevention, " +
			"encryption, versioning, logging and retention settings.",
		assetTypes: []string{"storage.googleapis.com/Bucket"},
		columns: []column{
			field("name", store.TypeText, "Name of the bucket."),
			field("id", store.TypeText, "ID of the bucket, the same as its name."),
			field("project_number", store.TypeInt, "Number of the project that owns the bucket."),
			field("location", store.TypeText, "Location as the Storage API writes it, such as US, EU or US-CENTRAL1."),
			field("location_type", store.TypeText, "region, dual-region or multi-region."),
			field("storage_class", store.TypeText, "Default storage class: STANDARD, NEARLINE, COLDLINE, ARCHIVE and others."),
			field("time_created", store.TypeTimestamp, "Time the bucket was created."),
			field("updated", store.TypeTimestamp, "Time the bucket's metadata last changed."),
			field("uniform_bucket_level_access_enabled", store.TypeBool,
				"True when uniform bucket-level access is on, so only IAM controls access and ACLs are ignored; "+
					"older records call it bucketPolicyOnly.",
				"iamConfiguration.uniformBucketLevelAccess.enabled", "iamConfiguration.bucketPolicyOnly.enabled"),
			field("public_access_prevention", store.TypeText,
				"enforced or inherited: whether public access prevention blocks grants to allUsers and allAuthenticatedUsers.",
				"iamConfiguration.publicAccessPrevention"),
			field("versioning_enabled", store.TypeBool, "True when object versioning is on.", "versioning.enabled"),
			field("logging_log_bucket", store.TypeText, "Bucket that receives the usage and storage logs; NULL when logging is off.", "logging.logBucket"),
			field("logging_log_object_prefix", store.TypeText, "Prefix of the log object names.", "logging.logObjectPrefix"),
			field("default_kms_key_name", store.TypeText, "Cloud KMS key that encrypts new objects by default; NULL for Google-managed encryption.",
				"encryption.defaultKmsKeyName"),
			field("retention_period", store.TypeInt, "Minimum time, in seconds, that objects must be kept; NULL without a retention policy.",
				"retentionPolicy.retentionPeriod"),
			field("retention_policy_is_locked", store.TypeBool, "True when the retention policy is locked and can no longer be shortened or removed.",
				"retentionPolicy.isLocked"),
			field("default_event_based_hold", store.TypeBool, "True when new objects get an event-based hold."),
			field("requester_pays", store.TypeBool, "True when requesters pay for access to the bucket.", "billing.requesterPays"),
			field("lifecycle_rules", store.TypeJSON, "Object lifecycle rules, each with an action and a condition.", "lifecycle.rule"),
			field("acl", store.TypeJSON, "Access control list of the bucket; ignored under uniform bucket-level access."),
			field("default_object_acl", store.TypeJSON, "Default access control list of new objects."),
			field("iam_configuration", store.TypeJSON, "The whole iamConfiguration object."),
			field("self_link", store.TypeText, "URL of the bucket in the Storage JSON API."),
		},
	})
}
