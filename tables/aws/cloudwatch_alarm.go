package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_cloudwatch_alarm",
		Description: "CloudWatch metric alarms with their metric, threshold and actions. Composite and log alarms are not included.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the alarm."},
			{Name: "alarm_name", Type: store.TypeText, Description: "Name of the alarm."},
			{Name: "alarm_description", Type: store.TypeText, Description: "Description of the alarm."},
			{Name: "metric_name", Type: store.TypeText, Description: "Name of the metric watched. NULL for an alarm on a metric math expression (see raw's Metrics)."},
			{Name: "namespace", Type: store.TypeText, Description: "Namespace of the metric watched, such as AWS/EC2 or a log metric filter's namespace."},
			{Name: "statistic", Type: store.TypeText, Description: "Statistic of the metric: SampleCount, Average, Sum, Minimum or Maximum. NULL when an extended statistic (percentile) is used."},
			{Name: "comparison_operator", Type: store.TypeText, Description: "How the statistic is compared with the threshold, such as GreaterThanOrEqualToThreshold."},
			{Name: "threshold", Type: store.TypeFloat, Description: "Value that the statistic is compared with."},
			{Name: "evaluation_periods", Type: store.TypeInt, Description: "Number of recent periods compared with the threshold."},
			{Name: "period", Type: store.TypeInt, Description: "Length of one period, in seconds."},
			{Name: "actions_enabled", Type: store.TypeBool, Description: "True when state changes run the alarm's actions."},
			{Name: "alarm_actions", Type: store.TypeTextList, Description: "ARNs of the actions (SNS topics, Auto Scaling policies, ...) run on entering the ALARM state."},
			{Name: "ok_actions", Type: store.TypeTextList, Description: "ARNs of the actions run on entering the OK state."},
			{Name: "insufficient_data_actions", Type: store.TypeTextList, Description: "ARNs of the actions run on entering the INSUFFICIENT_DATA state."},
			{Name: "state_value", Type: store.TypeText, Description: "Current state: OK, ALARM or INSUFFICIENT_DATA."},
			{Name: "dimensions", Type: store.TypeJSON, Description: "Dimensions of the metric as a JSON list of {Name, Value} objects."},
		},
	}, fetchCloudWatchAlarms)
}

func fetchCloudWatchAlarms(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	// Without AlarmTypes, DescribeAlarms returns metric alarms only.
	pages := cloudwatch.NewDescribeAlarmsPaginator(c.CloudWatch, &cloudwatch.DescribeAlarmsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe alarms: %w", err)
		}
		for _, a := range page.MetricAlarms {
			rec := tables.Record{
				"arn":                       a.AlarmArn,
				"alarm_name":                a.AlarmName,
				"alarm_description":         a.AlarmDescription,
				"metric_name":               a.MetricName,
				"namespace":                 a.Namespace,
				"statistic":                 emptyToNull(string(a.Statistic)),
				"comparison_operator":       emptyToNull(string(a.ComparisonOperator)),
				"threshold":                 a.Threshold,
				"evaluation_periods":        a.EvaluationPeriods,
				"period":                    a.Period,
				"actions_enabled":           a.ActionsEnabled,
				"alarm_actions":             a.AlarmActions,
				"ok_actions":                a.OKActions,
				"insufficient_data_actions": a.InsufficientDataActions,
				"state_value":               emptyToNull(string(a.StateValue)),
				"raw":                       a,
			}
			if len(a.Dimensions) > 0 {
				rec["dimensions"] = a.Dimensions
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
