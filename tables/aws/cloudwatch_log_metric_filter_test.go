package aws

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/stance-cspm/stance/internal/emulator"
)

func TestLogMetricFilterFixture(t *testing.T) {
	c := testdataClients(t, "aws_cloudwatch_log_metric_filter", "us-east-1")
	rows := storedRowsBy(t, "aws_cloudwatch_log_metric_filter", "arn", collect(t, "aws_cloudwatch_log_metric_filter", c))
	if len(rows) != 2 {
		t.Fatalf("got %d metric filters %v, want 2", len(rows), sortedRowKeys(rows))
	}

	tests := []struct {
		arn  string
		want map[string]any
	}{
		{
			arn: "arn:aws:logs:us-east-1:111122223333:log-group:cloudtrail/organization:metric-filter:RootAccountUsage",
			want: map[string]any{
				"filter_name":      "RootAccountUsage",
				"log_group_name":   "cloudtrail/organization",
				"filter_pattern":   `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
				"metric_name":      "RootAccountUsageCount",
				"metric_namespace": "CISBenchmark",
				"creation_time":    parseWantTime(t, "2023-11-14T22:13:20.123Z"),
				"metric_transformations": json.RawMessage(`[
					{"MetricName":"RootAccountUsageCount","MetricNamespace":"CISBenchmark","MetricValue":"1","DefaultValue":0,"Dimensions":null,"Unit":""},
					{"MetricName":"RootAccountUsageCopy","MetricNamespace":"Audit","MetricValue":"1","DefaultValue":null,"Dimensions":{"Account":"$.recipientAccountId"},"Unit":"Count"}]`),
			},
		},
		{
			// No transformations and no creation time: NULL, not a zero
			// time or an empty document.
			arn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/legacy:metric-filter:ConsoleSignInFailures:v2",
			want: map[string]any{
				"filter_name":            "ConsoleSignInFailures:v2",
				"filter_pattern":         "",
				"metric_name":            nil,
				"metric_namespace":       nil,
				"metric_transformations": nil,
				"creation_time":          nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			row, ok := rows[tt.arn]
			if !ok {
				t.Fatalf("no row for %s; got %v", tt.arn, sortedRowKeys(rows))
			}
			expectColumns(t, tt.arn, row, tt.want)
		})
	}
}

func TestLogMetricFilterDemoDataNotCollected(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	if _, err := fetchRecordsOrError(t, "aws_cloudwatch_log_metric_filter", c); !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected: the demo data has no logs-describe-metric-filters.json", err)
	}
}

func TestLogMetricFilterMoto(t *testing.T) {
	ctx := context.Background()
	c := motoRegionClients(t, "eu-west-3")

	const group = "cloudtrail/organization"
	const pattern = `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	if _, err := c.Logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatalf("CreateLogGroup: %v", err)
	}
	for _, name := range []string{"UnauthorizedAPICalls", "RootAccountUsage"} {
		_, err := c.Logs.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{
			LogGroupName:  aws.String(group),
			FilterName:    aws.String(name),
			FilterPattern: aws.String(pattern),
			MetricTransformations: []logstypes.MetricTransformation{{
				MetricName:      aws.String(name + "Count"),
				MetricNamespace: aws.String("CISBenchmark"),
				MetricValue:     aws.String("1"),
			}},
		})
		if err != nil {
			t.Fatalf("PutMetricFilter %s: %v", name, err)
		}
	}

	rows := storedRowsBy(t, "aws_cloudwatch_log_metric_filter", "arn", collect(t, "aws_cloudwatch_log_metric_filter", c))
	if len(rows) != 2 {
		t.Fatalf("got %d metric filters %v, want 2", len(rows), sortedRowKeys(rows))
	}
	arn := "arn:aws:logs:eu-west-3:" + emulator.DefaultAccountID + ":log-group:" + group + ":metric-filter:UnauthorizedAPICalls"
	row, ok := rows[arn]
	if !ok {
		t.Fatalf("no row for %s; got %v", arn, sortedRowKeys(rows))
	}
	expectColumns(t, "UnauthorizedAPICalls", row, map[string]any{
		"filter_name":      "UnauthorizedAPICalls",
		"log_group_name":   group,
		"filter_pattern":   pattern,
		"metric_name":      "UnauthorizedAPICallsCount",
		"metric_namespace": "CISBenchmark",
	})
	// NOTE: moto 5.2.1 returns no creationTime for metric filters, so the
	// millisecond conversion is tested on the fixture only.
	if row["creation_time"] != nil {
		t.Errorf("got creation_time %v, want NULL as moto sends none", row["creation_time"])
	}
}
