package aws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/tables"
)

func TestCloudTrailTrailMoto(t *testing.T) {
	east := motoClientsFor(t, HomeRegion)
	endpoint := aws.ToString(east.CloudTrail.Options().BaseEndpoint)
	ctx := context.Background()
	const table = "aws_cloudtrail_trail"

	clientsIn := func(region string) *Clients {
		return NewClients(emulator.Config(endpoint, region), emulator.DefaultAccountID, region)
	}
	west := clientsIn("eu-west-1")

	mustSetUp(t, "create log bucket", func() error {
		_, err := east.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("stance-trail-logs")})
		return err
	})
	var topicARN string
	mustSetUp(t, "create topic", func() error {
		out, err := east.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("trail-deliveries")})
		if err == nil {
			topicARN = aws.ToString(out.TopicArn)
		}
		return err
	})

	// A multi-region trail in us-east-1 that logs, with basic selectors.
	mustSetUp(t, "create multi-region trail", func() error {
		_, err := east.CloudTrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
			Name:                       aws.String("everywhere"),
			S3BucketName:               aws.String("stance-trail-logs"),
			S3KeyPrefix:                aws.String("audit"),
			IsMultiRegionTrail:         aws.Bool(true),
			IncludeGlobalServiceEvents: aws.Bool(true),
			EnableLogFileValidation:    aws.Bool(true),
			KmsKeyId:                   aws.String("arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"),
			CloudWatchLogsLogGroupArn:  aws.String("arn:aws:logs:us-east-1:123456789012:log-group:trail:*"),
			CloudWatchLogsRoleArn:      aws.String("arn:aws:iam::123456789012:role/trail-to-logs"),
			SnsTopicName:               aws.String("trail-deliveries"),
			TagsList:                   []types.Tag{{Key: aws.String("owner"), Value: aws.String("security")}},
		})
		return err
	})
	mustSetUp(t, "start logging", func() error {
		_, err := east.CloudTrail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("everywhere")})
		return err
	})
	mustSetUp(t, "put event selectors", func() error {
		_, err := east.CloudTrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{
			TrailName: aws.String("everywhere"),
			EventSelectors: []types.EventSelector{{
				IncludeManagementEvents: aws.Bool(true),
				ReadWriteType:           types.ReadWriteTypeAll,
			}},
		})
		return err
	})

	// A single-region trail in eu-west-1 that does not log, with advanced
	// selectors.
	mustSetUp(t, "create regional trail", func() error {
		_, err := west.CloudTrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
			Name:         aws.String("west-only"),
			S3BucketName: aws.String("stance-trail-logs"),
		})
		return err
	})
	mustSetUp(t, "put advanced event selectors", func() error {
		_, err := west.CloudTrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{
			TrailName: aws.String("west-only"),
			AdvancedEventSelectors: []types.AdvancedEventSelector{{
				Name:           aws.String("management"),
				FieldSelectors: []types.AdvancedFieldSelector{{Field: aws.String("eventCategory"), Equals: []string{"Management"}}},
			}},
		})
		return err
	})

	// Every region lists the multi-region trail, but only its home region
	// stores it.
	perRegion := map[string][]string{}
	var all []tables.Record
	for _, region := range []string{"us-east-1", "eu-west-1", "eu-central-1"} {
		recs := collect(t, table, clientsIn(region))
		for _, rec := range recs {
			perRegion[region] = append(perRegion[region], aws.ToString(rec["name"].(*string)))
		}
		all = append(all, recs...)
	}
	wantPerRegion := map[string][]string{"us-east-1": {"everywhere"}, "eu-west-1": {"west-only"}}
	if !sameJSON(t, perRegion, wantPerRegion) {
		t.Fatalf("got trails by partition %v, want %v", perRegion, wantPerRegion)
	}

	byName := recordsByColumn(t, all, "name")
	expectStoredColumns(t, table, byName, []columnExpectation{
		{"everywhere", "arn", "arn:aws:cloudtrail:us-east-1:123456789012:trail/everywhere"},
		{"everywhere", "home_region", "us-east-1"},
		{"everywhere", "is_multi_region_trail", true},
		{"everywhere", "is_organization_trail", false},
		{"everywhere", "include_global_service_events", true},
		{"everywhere", "log_file_validation_enabled", true},
		{"everywhere", "s3_bucket_name", "stance-trail-logs"},
		{"everywhere", "s3_key_prefix", "audit"},
		{"everywhere", "kms_key_id", "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"},
		{"everywhere", "cloud_watch_logs_log_group_arn", "arn:aws:logs:us-east-1:123456789012:log-group:trail:*"},
		{"everywhere", "cloud_watch_logs_role_arn", "arn:aws:iam::123456789012:role/trail-to-logs"},
		{"everywhere", "sns_topic_arn", topicARN},
		{"everywhere", "is_logging", true},
		{"everywhere", "event_selectors", []any{map[string]any{"IncludeManagementEvents": true, "ReadWriteType": "All"}}},
		{"everywhere", "advanced_event_selectors", nil},
		{"everywhere", "tags", map[string]string{"owner": "security"}},

		{"west-only", "home_region", "eu-west-1"},
		{"west-only", "is_multi_region_trail", false},
		{"west-only", "is_logging", false},
		{"west-only", "latest_delivery_time", nil},
		{"west-only", "event_selectors", nil},
		{"west-only", "advanced_event_selectors", []any{map[string]any{"Name": "management"}}},
		{"west-only", "tags", map[string]string{}},
	})
	if byName["everywhere"]["latest_delivery_time"] == nil {
		t.Errorf("everywhere: got no latest_delivery_time, want the time logging started")
	}
}

func TestCloudTrailTrailFixtures(t *testing.T) {
	const table = "aws_cloudtrail_trail"
	var all []tables.Record
	perRegion := map[string][]string{}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		recs := collect(t, table, testdataClients(t, table, region))
		for _, rec := range recs {
			perRegion[region] = append(perRegion[region], aws.ToString(rec["name"].(*string)))
		}
		all = append(all, recs...)
	}
	// main is listed in both regions and stored by us-east-1 only. The
	// organization trail of another account is stored by its home region.
	// legacy has no HomeRegion and counts as a trail of the region that
	// lists it.
	wantPerRegion := map[string][]string{
		"us-east-1": {"main"},
		"eu-west-1": {"org-trail", "west-local", "legacy"},
	}
	if !sameJSON(t, perRegion, wantPerRegion) {
		t.Fatalf("got trails by partition %v, want %v", perRegion, wantPerRegion)
	}

	byName := recordsByColumn(t, all, "name")
	expectStoredColumns(t, table, byName, []columnExpectation{
		{"main", "arn", "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"},
		{"main", "is_multi_region_trail", true},
		{"main", "log_file_validation_enabled", true},
		{"main", "kms_key_id", "arn:aws:kms:us-east-1:111122223333:key/trail"},
		{"main", "sns_topic_arn", "arn:aws:sns:us-east-1:111122223333:trail"},
		{"main", "is_logging", true},
		{"main", "latest_delivery_time", time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)},
		{"main", "event_selectors", []any{map[string]any{"ReadWriteType": "All", "DataResources": []any{map[string]any{"Type": "AWS::S3::Object"}}}}},
		{"main", "advanced_event_selectors", nil},
		{"main", "has_insight_selectors", false},
		// The tags file lists another trail too, whose tags are not main's.
		{"main", "tags", map[string]string{"owner": "security"}},

		// TrailNotFoundException, which a member account is assumed to get
		// for its organization trail, leaves the details NULL. The declared
		// error takes precedence over the status and selector files.
		{"org-trail", "is_organization_trail", true},
		{"org-trail", "home_region", "eu-west-1"},
		{"org-trail", "is_logging", nil},
		{"org-trail", "event_selectors", nil},
		{"org-trail", "tags", map[string]string{}},

		{"west-local", "is_multi_region_trail", false},
		{"west-local", "is_logging", false},
		{"west-local", "latest_delivery_time", nil},
		{"west-local", "has_insight_selectors", true},
		{"west-local", "event_selectors", nil},
		{"west-local", "advanced_event_selectors", []any{map[string]any{"Name": "Management events"}}},
		{"west-local", "tags", map[string]string{"env": "dev"}},

		{"legacy", "home_region", nil},
		{"legacy", "is_logging", nil},
	})
}

func TestCloudTrailTrailDemoData(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	const table = "aws_cloudtrail_trail"

	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d trails, want 1 as in cloudtrail-describe-trails.json", len(recs))
	}
	byName := recordsByColumn(t, recs, "name")
	expectStoredColumns(t, table, byName, []columnExpectation{
		{"cloudtrail", "arn", "arn:aws:cloudtrail:us-east-1:123456789012:trail/cloudtrail"},
		{"cloudtrail", "home_region", "us-east-1"},
		{"cloudtrail", "is_multi_region_trail", false},
		{"cloudtrail", "is_organization_trail", true},
		{"cloudtrail", "include_global_service_events", true},
		{"cloudtrail", "log_file_validation_enabled", true},
		{"cloudtrail", "s3_bucket_name", "demo-logs"},
		{"cloudtrail", "kms_key_id", nil},
		// The demo data has no status, selector or tag files.
		{"cloudtrail", "is_logging", nil},
		{"cloudtrail", "event_selectors", nil},
		{"cloudtrail", "tags", map[string]string(nil)},
	})
}
