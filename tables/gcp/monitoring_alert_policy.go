package gcp

import "github.com/stance-cspm/stance/internal/store"

func init() {
	registerResource(resourceTable{
		name:        "gcp_monitoring_alert_policy",
		description: "Cloud Monitoring alert policies with their conditions and notification channels.",
		assetTypes:  []string{"monitoring.googleapis.com/AlertPolicy"},
		labels:      "userLabels",
		columns: []column{
			field("name", store.TypeText, "Resource name, projects/PROJECT/alertPolicies/ID."),
			field("display_name", store.TypeText, "Display name."),
			computed("enabled", store.TypeBool, "True when the policy is enabled; NULL when the record leaves it out.", func(v *view) (any, error) {
				// enabled is a BoolValue wrapper, so an absent value is
				// not false, unlike the plain booleans of other tables.
				val, ok := v.get("enabled")
				if !ok {
					return nil, nil
				}
				return val, nil
			}),
			field("combiner", store.TypeText, "How conditions combine: AND, OR or AND_WITH_MATCHING_RESOURCE."),
			field("conditions", store.TypeJSON, "Conditions, each with a display name and a threshold, absence or log match rule on a metric filter."),
			field("notification_channels", store.TypeTextList, "Notification channels that receive the alerts."),
		},
	})
}
