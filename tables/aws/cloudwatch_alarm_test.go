package aws

import (
	"encoding/json"
	"testing"
)

func TestCloudWatchAlarmFixture(t *testing.T) {
	c := testdataClients(t, "aws_cloudwatch_alarm", "us-east-1")
	rows := storedRowsBy(t, "aws_cloudwatch_alarm", "arn", collect(t, "aws_cloudwatch_alarm", c))
	// The composite alarm in the file is not a metric alarm.
	if len(rows) != 3 {
		t.Fatalf("got %d alarms %v, want 3", len(rows), sortedRowKeys(rows))
	}

	tests := []struct {
		arn  string
		want map[string]any
	}{
		{
			arn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:RootAccountUsage",
			want: map[string]any{
				"alarm_name":                "RootAccountUsage",
				"alarm_description":         "CIS 4.3 root account usage",
				"metric_name":               "RootAccountUsageCount",
				"namespace":                 "CISBenchmark",
				"statistic":                 "Sum",
				"comparison_operator":       "GreaterThanOrEqualToThreshold",
				"threshold":                 1.0,
				"evaluation_periods":        int64(1),
				"period":                    int64(300),
				"actions_enabled":           true,
				"alarm_actions":             []string{"arn:aws:sns:us-east-1:111122223333:alerts"},
				"ok_actions":                []string{},
				"insufficient_data_actions": []string{},
				"state_value":               "OK",
				"dimensions":                nil,
			},
		},
		{
			// A percentile alarm: statistic is NULL, the percentile is in raw.
			arn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:api-latency-p99",
			want: map[string]any{
				"statistic":                 nil,
				"threshold":                 0.25,
				"actions_enabled":           false,
				"ok_actions":                []string{"arn:aws:sns:us-east-1:111122223333:ok"},
				"insufficient_data_actions": []string{"arn:aws:sns:us-east-1:111122223333:nodata"},
				"state_value":               "INSUFFICIENT_DATA",
				"dimensions":                json.RawMessage(`[{"Name":"ApiName","Value":"orders"},{"Name":"Stage","Value":"prod"}]`),
			},
		},
		{
			// A metric math alarm has no metric name, namespace or period.
			arn: "arn:aws:cloudwatch:us-east-1:111122223333:alarm:error-rate",
			want: map[string]any{
				"metric_name":   nil,
				"namespace":     nil,
				"period":        nil,
				"state_value":   "ALARM",
				"alarm_actions": []string{},
				"ok_actions":    []string{},
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

	var raw struct {
		ExtendedStatistic string
		DatapointsToAlarm int
	}
	p99 := rows["arn:aws:cloudwatch:us-east-1:111122223333:alarm:api-latency-p99"]
	if err := json.Unmarshal([]byte(p99["raw"].(string)), &raw); err != nil {
		t.Fatalf("api-latency-p99 raw: %v", err)
	}
	if raw.ExtendedStatistic != "p99" {
		t.Errorf("api-latency-p99 raw: got ExtendedStatistic %q, want p99", raw.ExtendedStatistic)
	}
	if raw.DatapointsToAlarm != 3 {
		t.Errorf("api-latency-p99 raw: got DatapointsToAlarm %d, want 3", raw.DatapointsToAlarm)
	}
}

func TestCloudWatchAlarmDemoDataNotCollected(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	if _, err := fetchRecordsOrError(t, "aws_cloudwatch_alarm", c); !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected: the demo data has no cloudwatch-describe-alarms.json", err)
	}
}
