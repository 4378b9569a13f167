package aws

import (
	"context"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestFlowLogMoto(t *testing.T) {
	c, _ := motoEC2(t, "us-west-1")
	ctx := context.Background()
	loggedVPC, loggedSubnet := ec2MotoVPC(t, c, "10.70.0.0/16", "10.70.1.0/24")
	unloggedVPC, _ := ec2MotoVPC(t, c, "10.71.0.0/16", "10.71.1.0/24")

	// The log group does not exist, so delivery fails.
	toLogs, err := c.EC2.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{
		ResourceIds: []string{loggedVPC}, ResourceType: types.FlowLogsResourceTypeVpc,
		TrafficType: types.TrafficTypeAll, LogGroupName: aws.String("vpc-flow"),
		DeliverLogsPermissionArn: aws.String("arn:aws:iam::123456789012:role/flow-logs"),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeVpcFlowLog,
			Tags:         []types.Tag{{Key: aws.String("owner"), Value: aws.String("netops")}},
		}},
	})
	if err != nil {
		t.Fatalf("CreateFlowLogs to CloudWatch Logs: %v", err)
	}

	if _, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String("ec2-test-flow-logs"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintUsWest1},
	}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	toS3, err := c.EC2.CreateFlowLogs(ctx, &ec2.CreateFlowLogsInput{
		ResourceIds: []string{loggedSubnet}, ResourceType: types.FlowLogsResourceTypeSubnet,
		TrafficType: types.TrafficTypeReject, LogDestinationType: types.LogDestinationTypeS3,
		// moto 5.2.1 reads a bucket prefix in the ARN as part of the bucket
		// name, so the destination has none.
		LogDestination: aws.String("arn:aws:s3:::ec2-test-flow-logs"),
	})
	if err != nil {
		t.Fatalf("CreateFlowLogs to S3: %v", err)
	}
	for _, u := range toS3.Unsuccessful {
		if u.Error != nil {
			t.Fatalf("CreateFlowLogs to S3: %s: %s", aws.ToString(u.Error.Code), aws.ToString(u.Error.Message))
		}
	}

	recs := collect(t, "aws_vpc_flow_log", c)
	rows := ec2RowsBy(t, "aws_vpc_flow_log", recs, "flow_log_id")
	if len(rows) != 2 {
		t.Errorf("flow logs: got %d, want 2", len(rows))
	}
	logsID := toLogs.FlowLogIds[0]
	ec2Check(t, "flow log to CloudWatch Logs", rows[logsID], map[string]any{
		"arn":                         "arn:aws:ec2:us-west-1:123456789012:vpc-flow-log/" + logsID,
		"resource_id":                 loggedVPC,
		"traffic_type":                "ALL",
		"log_destination_type":        "cloud-watch-logs",
		"log_group_name":              "vpc-flow",
		"flow_log_status":             "ACTIVE",
		"deliver_logs_status":         "FAILED",
		"deliver_logs_error_message":  "Access error",
		"deliver_logs_permission_arn": "arn:aws:iam::123456789012:role/flow-logs",
		"tags":                        map[string]string{"owner": "netops"},
	})
	ec2Check(t, "flow log to S3", rows[toS3.FlowLogIds[0]], map[string]any{
		"resource_id":                loggedSubnet,
		"traffic_type":               "REJECT",
		"log_destination_type":       "s3",
		"log_destination":            "arn:aws:s3:::ec2-test-flow-logs",
		"log_group_name":             nil,
		"deliver_logs_status":        "SUCCESS",
		"deliver_logs_error_message": nil,
	})

	// The CIS check "VPC flow logging is enabled in all VPCs": VPCs whose
	// ID is no flow log's resource_id. A subnet's flow log does not count.
	logged := map[string]bool{}
	for _, row := range rows {
		logged[row["resource_id"].(string)] = true
	}
	var unlogged []string
	for _, rec := range collect(t, "aws_vpc", c) {
		id := ec2Values(t, "aws_vpc", rec)["vpc_id"].(string)
		if !logged[id] {
			unlogged = append(unlogged, id)
		}
	}
	sort.Strings(unlogged)
	if len(unlogged) != 2 || !slices.Contains(unlogged, unloggedVPC) || slices.Contains(unlogged, loggedVPC) {
		t.Errorf("VPCs without flow logs: got %v, want %s and the default VPC", unlogged, unloggedVPC)
	}
}

func TestFlowLogFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_vpc_flow_log", "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_flow_log", collect(t, "aws_vpc_flow_log", c), "flow_log_id")
	if len(rows) != 3 {
		t.Fatalf("flow logs: got %d, want 3", len(rows))
	}
	ec2Check(t, "VPC to CloudWatch Logs", rows["fl-0vpc"], map[string]any{
		"arn":                      "arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/fl-0vpc",
		"resource_id":              "vpc-0aaa",
		"traffic_type":             "ALL",
		"log_group_name":           "/vpc/flow",
		"log_destination":          "arn:aws:logs:us-east-1:111122223333:log-group:/vpc/flow",
		"max_aggregation_interval": 600,
		"creation_time":            time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC),
		"tags":                     map[string]string{"cis": "3.9"},
	})
	ec2Check(t, "ENI to S3", rows["fl-0eni"], map[string]any{
		"resource_id":                 "eni-0abc",
		"log_destination_type":        "s3",
		"log_destination":             "arn:aws:s3:::flow-logs-bucket/eni/",
		"log_group_name":              nil,
		"deliver_logs_status":         "FAILED",
		"deliver_logs_error_message":  "Access error",
		"deliver_logs_permission_arn": nil,
	})
	ec2Check(t, "subnet to Firehose", rows["fl-0subnet"], map[string]any{
		"resource_id":          "subnet-01",
		"log_destination_type": "kinesis-data-firehose",
		"traffic_type":         "ACCEPT",
	})
}
