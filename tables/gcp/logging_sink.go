package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_logging_sink",
		description: "Cloud Logging sinks, which export log entries that match a filter to a destination.",
		assetTypes:  []string{"logging.googleapis.com/LogSink"},
		columns: []column{
			field("name", store.TypeText, "Name of the sink."),
			field("destination", store.TypeText, "Export destination, such as storage.googleapis.com/BUCKET or bigquery.googleapis.com/projects/P/datasets/D."),
			field("filter", store.TypeText, "Logging query that selects the exported entries; NULL or empty exports every entry."),
			field("description", store.TypeText, "Description of the sink."),
			field("disabled", store.TypeBool, "True when the sink exports nothing."),
			field("include_children", store.TypeBool, "True for a folder or organization sink that also exports the entries of its children."),
			field("writer_identity", store.TypeText, "Identity that writes to the destination."),
			field("exclusions", store.TypeJSON, "Exclusion filters of the sink."),
			field("create_time", store.TypeTimestamp, "Time the sink was created."),
			field("update_time", store.TypeTimestamp, "Time the sink last changed."),
		},
	})
}
