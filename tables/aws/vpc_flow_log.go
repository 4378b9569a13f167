package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_vpc_flow_log",
		Description: "VPC flow logs of VPCs, subnets, network interfaces and transit gateways. " +
			"A VPC without flow logging has no row whose resource_id is its ID.",
		Key: "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the flow log, arn:aws:ec2:<region>:<account>:vpc-flow-log/<id>."},
			{Name: "flow_log_id", Type: store.TypeText, Description: "ID of the flow log, such as fl-0123456789abcdef0."},
			{Name: "resource_id", Type: store.TypeText, Description: "ID of the logged resource: a VPC (vpc-...), subnet (subnet-...), network interface (eni-...) or transit gateway."},
			{Name: "traffic_type", Type: store.TypeText, Description: "Traffic logged: ACCEPT, REJECT or ALL."},
			{Name: "log_destination_type", Type: store.TypeText, Description: "Destination type: cloud-watch-logs, s3 or kinesis-data-firehose."},
			{Name: "log_destination", Type: store.TypeText, Description: "ARN of the destination log group, bucket (with prefix) or delivery stream."},
			{Name: "log_group_name", Type: store.TypeText, Description: "Name of the CloudWatch Logs log group, NULL for other destinations."},
			{Name: "flow_log_status", Type: store.TypeText, Description: "Status of the flow log: ACTIVE."},
			{Name: "deliver_logs_status", Type: store.TypeText, Description: "Status of log delivery: SUCCESS, or FAILED with deliver_logs_error_message saying why."},
			{Name: "deliver_logs_error_message", Type: store.TypeText, Description: "Reason of a failed delivery: Rate limited, Access error or Unknown error."},
			{Name: "deliver_logs_permission_arn", Type: store.TypeText, Description: "ARN of the IAM role that publishes to CloudWatch Logs."},
			{Name: "max_aggregation_interval", Type: store.TypeInt, Description: "Maximum interval in seconds over which a flow is captured into one record: 60 or 600."},
			{Name: "creation_time", Type: store.TypeTimestamp, Description: "Time the flow log was created."},
		},
	}, fetchFlowLogs)
}

func fetchFlowLogs(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := ec2.NewDescribeFlowLogsPaginator(c.EC2, &ec2.DescribeFlowLogsInput{}, func(o *ec2.DescribeFlowLogsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe flow logs: %w", err)
		}
		for _, f := range page.FlowLogs {
			if err := emit(flowLogRecord(c, f)); err != nil {
				return err
			}
		}
	}
	return nil
}

func flowLogRecord(c *Clients, f types.FlowLog) tables.Record {
	id := aws.ToString(f.FlowLogId)
	return tables.Record{
		"arn":                         ec2ARN(c, "", "vpc-flow-log/"+id),
		"flow_log_id":                 id,
		"resource_id":                 f.ResourceId,
		"traffic_type":                textOrNil(string(f.TrafficType)),
		"log_destination_type":        textOrNil(string(f.LogDestinationType)),
		"log_destination":             textOrNil(aws.ToString(f.LogDestination)),
		"log_group_name":              textOrNil(aws.ToString(f.LogGroupName)),
		"flow_log_status":             f.FlowLogStatus,
		"deliver_logs_status":         f.DeliverLogsStatus,
		"deliver_logs_error_message":  textOrNil(aws.ToString(f.DeliverLogsErrorMessage)),
		"deliver_logs_permission_arn": textOrNil(aws.ToString(f.DeliverLogsPermissionArn)),
		"max_aggregation_interval":    f.MaxAggregationInterval,
		"creation_time":               f.CreationTime,
		"tags":                        Tags(f.Tags),
		"raw":                         f,
	}
}
