package aws

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/stance-cspm/stance/tables"
)

// cloudTrailUnknownCodes are the errors after which a trail's detail stays
// NULL. NOTE: CloudTrail is assumed to return TrailNotFoundException when a
// member account requests details of its organization's trail, which was
// not checked against AWS.
var cloudTrailUnknownCodes = []string{"TrailNotFoundException"}

// trailRaw is the raw column of aws_cloudtrail_trail: the trail as
// DescribeTrails returns it and the outputs of its detail calls.
type trailRaw struct {
	Trail          types.Trail
	Status         *trailStatus    `json:",omitempty"`
	EventSelectors *trailSelectors `json:",omitempty"`
	Tags           []types.Tag     `json:",omitempty"`
}

// trailStatus contains the fields of GetTrailStatus that the table keeps.
type trailStatus struct {
	IsLogging                        *bool
	LatestDeliveryTime               *time.Time `json:",omitempty"`
	LatestDeliveryError              *string    `json:",omitempty"`
	LatestDigestDeliveryTime         *time.Time `json:",omitempty"`
	LatestCloudWatchLogsDeliveryTime *time.Time `json:",omitempty"`
	StartLoggingTime                 *time.Time `json:",omitempty"`
	StopLoggingTime                  *time.Time `json:",omitempty"`
}

// trailSelectors is the output of GetEventSelectors.
type trailSelectors struct {
	EventSelectors         []types.EventSelector         `json:",omitempty"`
	AdvancedEventSelectors []types.AdvancedEventSelector `json:",omitempty"`
}

// readTrail returns the record of one trail with its status, selectors and
// tags. client must be a client of the trail's home region.
func readTrail(ctx context.Context, client *cloudtrail.Client, trail types.Trail) (tables.Record, error) {
	raw := &trailRaw{Trail: trail}
	rec := tables.Record{
		"arn":                            trail.TrailARN,
		"name":                           trail.Name,
		"home_region":                    trail.HomeRegion,
		"is_multi_region_trail":          trail.IsMultiRegionTrail,
		"is_organization_trail":          trail.IsOrganizationTrail,
		"include_global_service_events":  trail.IncludeGlobalServiceEvents,
		"log_file_validation_enabled":    trail.LogFileValidationEnabled,
		"s3_bucket_name":                 trail.S3BucketName,
		"s3_key_prefix":                  trail.S3KeyPrefix,
		"kms_key_id":                     trail.KmsKeyId,
		"cloud_watch_logs_log_group_arn": trail.CloudWatchLogsLogGroupArn,
		"cloud_watch_logs_role_arn":      trail.CloudWatchLogsRoleArn,
		"sns_topic_arn":                  trail.SnsTopicARN,
		"has_insight_selectors":          trail.HasInsightSelectors,
		"raw":                            raw,
	}

	steps := []func(context.Context, *cloudtrail.Client, string, tables.Record, *trailRaw) error{
		readTrailStatus,
		readTrailSelectors,
		readTrailTags,
	}
	for _, step := range steps {
		if err := step(ctx, client, aws.ToString(trail.TrailARN), rec, raw); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

func readTrailStatus(ctx context.Context, client *cloudtrail.Client, arn string, rec tables.Record, raw *trailRaw) error {
	out, err := client.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
	outcome, err := classifyDetail(err, nil, cloudTrailUnknownCodes...)
	if err != nil {
		return fmt.Errorf("get status of trail %s: %w", arn, err)
	}
	if outcome != detailFound {
		return nil
	}
	raw.Status = &trailStatus{
		IsLogging:                        out.IsLogging,
		LatestDeliveryTime:               out.LatestDeliveryTime,
		LatestDeliveryError:              out.LatestDeliveryError,
		LatestDigestDeliveryTime:         out.LatestDigestDeliveryTime,
		LatestCloudWatchLogsDeliveryTime: out.LatestCloudWatchLogsDeliveryTime,
		StartLoggingTime:                 out.StartLoggingTime,
		StopLoggingTime:                  out.StopLoggingTime,
	}
	rec["is_logging"] = out.IsLogging
	rec["latest_delivery_time"] = out.LatestDeliveryTime
	return nil
}

func readTrailSelectors(ctx context.Context, client *cloudtrail.Client, arn string, rec tables.Record, raw *trailRaw) error {
	out, err := client.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
	outcome, err := classifyDetail(err, nil, cloudTrailUnknownCodes...)
	if err != nil {
		return fmt.Errorf("get event selectors of trail %s: %w", arn, err)
	}
	if outcome != detailFound {
		return nil
	}
	raw.EventSelectors = &trailSelectors{EventSelectors: out.EventSelectors, AdvancedEventSelectors: out.AdvancedEventSelectors}
	// A trail uses either basic or advanced selectors. The other list is
	// absent or empty and stays NULL, so a query can tell which kind is in
	// use.
	if len(out.EventSelectors) > 0 {
		rec["event_selectors"] = out.EventSelectors
	}
	if len(out.AdvancedEventSelectors) > 0 {
		rec["advanced_event_selectors"] = out.AdvancedEventSelectors
	}
	return nil
}

func readTrailTags(ctx context.Context, client *cloudtrail.Client, arn string, rec tables.Record, raw *trailRaw) error {
	var tags []types.Tag
	pages := cloudtrail.NewListTagsPaginator(client, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		outcome, err := classifyDetail(err, nil, cloudTrailUnknownCodes...)
		if err != nil {
			return fmt.Errorf("list tags of trail %s: %w", arn, err)
		}
		if outcome != detailFound {
			return nil
		}
		// The output may list other trails too, as an offline source that
		// keeps one file for all trails does.
		for _, resource := range page.ResourceTagList {
			if aws.ToString(resource.ResourceId) == arn {
				tags = append(tags, resource.TagsList...)
			}
		}
	}
	raw.Tags = tags
	rec["tags"] = Tags(tags)
	return nil
}
