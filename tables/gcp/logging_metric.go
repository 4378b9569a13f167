package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_logging_metric",
		description: "Log-based metrics, which count log entries that match a filter.",
		assetTypes:  []string{"logging.googleapis.com/LogMetric"},
		columns: []column{
			field("name", store.TypeText, "Name of the metric."),
			field("description", store.TypeText, "Description of the metric."),
			field("filter", store.TypeText, "Logging query that selects the counted entries."),
			field("disabled", store.TypeBool, "True when the metric is disabled."),
			field("metric_descriptor", store.TypeJSON, "Descriptor of the metric: type, kind, value type and labels."),
			field("create_time", store.TypeTimestamp, "Time the metric was created."),
			field("update_time", store.TypeTimestamp, "Time the metric last changed."),
		},
	})
}
