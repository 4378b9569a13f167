package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_cloudwatch_log_metric_filter",
		Description: "CloudWatch Logs metric filters, which turn matching log events into metric values.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "arn:<partition>:logs:<region>:<account>:log-group:<log group>:metric-filter:<filter name>, built by stance because AWS gives metric filters no ARN."},
			{Name: "filter_name", Type: store.TypeText, Description: "Name of the metric filter, unique within its log group."},
			{Name: "log_group_name", Type: store.TypeText, Description: "Name of the log group that the filter reads."},
			{Name: "filter_pattern", Type: store.TypeText, Description: "Filter pattern that log events must match, such as { ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }."},
			{Name: "metric_transformations", Type: store.TypeJSON, Description: "Metrics that matching events publish, as a JSON list of MetricTransformation objects."},
			{Name: "metric_name", Type: store.TypeText, Description: "Metric name of the first transformation."},
			{Name: "metric_namespace", Type: store.TypeText, Description: "Metric namespace of the first transformation."},
			{Name: "creation_time", Type: store.TypeTimestamp, Description: "Time the filter was created."},
		},
	}, fetchLogMetricFilters)
}

func fetchLogMetricFilters(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := cloudwatchlogs.NewDescribeMetricFiltersPaginator(c.Logs, &cloudwatchlogs.DescribeMetricFiltersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe metric filters: %w", err)
		}
		for _, f := range page.MetricFilters {
			group := aws.ToString(f.LogGroupName)
			name := aws.ToString(f.FilterName)
			rec := tables.Record{
				"arn":            ARN(c.Partition, "logs", c.Region, c.AccountID, "log-group:"+group+":metric-filter:"+name),
				"filter_name":    name,
				"log_group_name": group,
				"filter_pattern": f.FilterPattern,
				"raw":            f,
			}
			if len(f.MetricTransformations) > 0 {
				rec["metric_transformations"] = f.MetricTransformations
				rec["metric_name"] = f.MetricTransformations[0].MetricName
				rec["metric_namespace"] = f.MetricTransformations[0].MetricNamespace
			}
			// The API returns the creation time in milliseconds since the
			// Unix epoch.
			if f.CreationTime != nil {
				rec["creation_time"] = time.UnixMilli(*f.CreationTime)
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
