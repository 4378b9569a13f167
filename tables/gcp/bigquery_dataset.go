package gcp

import (
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

func init() {
	registerResource(resourceTable{
		name:        "gcp_bigquery_dataset",
		description: "BigQuery datasets with their access list, location and default encryption key.",
		assetTypes:  []string{"bigquery.googleapis.com/Dataset"},
		columns: []column{
			field("id", store.TypeText, "Dataset ID with its project, PROJECT:DATASET."),
			field("dataset_id", store.TypeText, "Dataset ID within the project.", "datasetReference.datasetId"),
			field("friendly_name", store.TypeText, "Descriptive name of the dataset."),
			field("description", store.TypeText, "Description of the dataset."),
			field("location", store.TypeText, "Location of the data, such as US, EU or europe-west1."),
			field("access", store.TypeJSON, "Access entries, each granting a role to a user, group, domain, special group (such as allAuthenticatedUsers) or view."),
			field("default_kms_key_name", store.TypeText, "Cloud KMS key that encrypts new tables by default; NULL for Google-managed encryption.",
				"defaultEncryptionConfiguration.kmsKeyName"),
			field("default_table_expiration_ms", store.TypeInt, "Default lifetime of new tables in milliseconds."),
			field("default_partition_expiration_ms", store.TypeInt, "Default lifetime of new table partitions in milliseconds."),
			computed("creation_time", store.TypeTimestamp, "Time the dataset was created.", epochMillis("creationTime")),
			computed("last_modified_time", store.TypeTimestamp, "Time the dataset last changed.", epochMillis("lastModifiedTime")),
		},
	})
}

// epochMillis reads a time that the BigQuery API writes as milliseconds
// since the Unix epoch, in a string or a number.
func epochMillis(path string) func(v *view) (any, error) {
	return func(v *view) (any, error) {
		val, ok := v.get(path)
		if !ok {
			return nil, nil
		}
		ms, err := toInt(val)
		if err != nil || ms == nil {
			if s, isText := val.(string); isText {
				if _, perr := time.Parse(time.RFC3339Nano, s); perr == nil {
					return s, nil
				}
			}
			return nil, err
		}
		return time.UnixMilli(ms.(int64)).UTC(), nil
	}
}
