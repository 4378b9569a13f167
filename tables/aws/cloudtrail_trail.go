package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_cloudtrail_trail",
		Description: "CloudTrail trails with their logging status, destinations and event selectors, " +
			"one row per trail in its home region.",
		Key: "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the trail."},
			{Name: "name", Type: store.TypeText, Description: "Name of the trail."},
			{Name: "home_region", Type: store.TypeText, Description: "Region in which the trail was created."},
			{Name: "is_multi_region_trail", Type: store.TypeBool, Description: "True when the trail records events of every region."},
			{Name: "is_organization_trail", Type: store.TypeBool, Description: "True when the trail records events of every account of an AWS Organization."},
			{Name: "include_global_service_events", Type: store.TypeBool, Description: "True when the trail records events of global services such as IAM."},
			{Name: "log_file_validation_enabled", Type: store.TypeBool, Description: "True when CloudTrail writes signed digest files to validate log file integrity."},
			{Name: "s3_bucket_name", Type: store.TypeText, Description: "S3 bucket that receives the log files."},
			{Name: "s3_key_prefix", Type: store.TypeText, Description: "Key prefix of the log files in the bucket."},
			{Name: "kms_key_id", Type: store.TypeText, Description: "ARN of the KMS key that encrypts the log files; NULL when they use SSE-S3."},
			{Name: "cloud_watch_logs_log_group_arn", Type: store.TypeText, Description: "ARN of the CloudWatch Logs log group that receives the events."},
			{Name: "cloud_watch_logs_role_arn", Type: store.TypeText, Description: "ARN of the role that CloudTrail assumes to write to the log group."},
			{Name: "sns_topic_arn", Type: store.TypeText, Description: "ARN of the SNS topic notified of each log file delivery."},
			{Name: "is_logging", Type: store.TypeBool, Description: "True when the trail is recording events (GetTrailStatus)."},
			{Name: "latest_delivery_time", Type: store.TypeTimestamp, Description: "Time CloudTrail last delivered log files to the bucket."},
			{Name: "event_selectors", Type: store.TypeJSON, Description: "Basic event selectors: the management and data events that the trail records; NULL when it uses advanced selectors."},
			{Name: "advanced_event_selectors", Type: store.TypeJSON, Description: "Advanced event selectors, used in place of basic ones; NULL when the trail uses basic selectors."},
			{Name: "has_insight_selectors", Type: store.TypeBool, Description: "True when CloudTrail Insights is enabled on the trail."},
		},
		IgnoreInDrift: []string{
			"latest_delivery_time",
			"raw.Status.LatestDeliveryTime",
			"raw.Status.LatestDigestDeliveryTime",
			"raw.Status.LatestCloudWatchLogsDeliveryTime",
		},
	}, fetchCloudTrailTrails)
}

func fetchCloudTrailTrails(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	// With shadow trails, every region lists the multi-region trails and
	// organization trails created elsewhere, so the output contains every
	// trail that covers the region.
	out, err := c.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("describe trails: %w", err)
	}

	for _, trail := range out.TrailList {
		// Each trail is stored once, by its home region's partition, whose
		// client also serves the trail's status and selectors.
		// NOTE: a trail whose home region is not among the synced regions
		// is therefore not stored at all.
		home := aws.ToString(trail.HomeRegion)
		if home != "" && home != c.Region {
			continue
		}
		rec, err := readTrail(ctx, c.CloudTrail, trail)
		if err != nil {
			return err
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}
