package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	configtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/stance-cspm/stance/internal/emulator"
)

func TestConfigRecorderFixture(t *testing.T) {
	tests := []struct {
		region string
		// want is nil when the region must have no row.
		want map[string]any
	}{
		{
			region: "us-east-1",
			want: map[string]any{
				"arn":                           "arn:aws:config:us-east-1:111122223333:configuration-recorder/default",
				"name":                          "default",
				"role_arn":                      "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
				"all_supported":                 true,
				"include_global_resource_types": true,
				"resource_types":                []string{},
				"recording_strategy":            "ALL_SUPPORTED_RESOURCE_TYPES",
				"recording_frequency":           "CONTINUOUS",
				"recording":                     true,
				"last_status":                   "SUCCESS",
				// The CLI printed these as epoch seconds.
				"last_start_time": parseWantTime(t, "2015-08-31T16:53:17.819Z"),
				"last_stop_time":  parseWantTime(t, "2015-08-31T16:53:12.835Z"),
				"last_error_code": nil,
			},
		},
		{
			// The region has no recorder: no row, which is what "Config is
			// not enabled here" looks like.
			region: "eu-west-1",
		},
		{
			// The status call is denied: the recorder is known, its state
			// is not.
			region: "eu-central-1",
			want: map[string]any{
				"arn":                           "arn:aws:config:eu-central-1:111122223333:configuration-recorder/s3-only",
				"all_supported":                 false,
				"include_global_resource_types": false,
				"resource_types":                []string{"AWS::S3::Bucket", "AWS::S3::AccountPublicAccessBlock"},
				"recording_strategy":            "INCLUSION_BY_RESOURCE_TYPES",
				"recording_frequency":           nil,
				"recording":                     nil,
				"last_status":                   nil,
				"last_start_time":               nil,
			},
		},
		{
			region: "ap-south-1",
			want: map[string]any{
				"recording":          false,
				"last_status":        "FAILURE",
				"last_error_code":    "AccessDenied",
				"last_start_time":    parseWantTime(t, "2023-02-03T04:05:06Z"),
				"last_stop_time":     parseWantTime(t, "2023-03-04T05:06:07Z"),
				"recording_strategy": nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			c := testdataClients(t, "aws_config_configuration_recorder", tt.region)
			recs := collect(t, "aws_config_configuration_recorder", c)
			if tt.want == nil {
				if len(recs) != 0 {
					t.Fatalf("got %d recorders, want 0", len(recs))
				}
				return
			}
			if len(recs) != 1 {
				t.Fatalf("got %d recorders, want 1", len(recs))
			}
			expectColumns(t, tt.region, storedValues(t, "aws_config_configuration_recorder", recs[0]), tt.want)
		})
	}
}

func TestConfigRecorderDemoDataNotCollected(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	if _, err := fetchRecordsOrError(t, "aws_config_configuration_recorder", c); !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected: the demo data has no config-describe-configuration-recorders.json", err)
	}
}

func TestConfigRecorderMoto(t *testing.T) {
	ctx := context.Background()
	c := motoRegionClients(t, "eu-south-1")

	_, err := c.Config.PutConfigurationRecorder(ctx, &configservice.PutConfigurationRecorderInput{
		ConfigurationRecorder: &configtypes.ConfigurationRecorder{
			Name:    aws.String("default"),
			RoleARN: aws.String("arn:aws:iam::" + emulator.DefaultAccountID + ":role/config-recorder"),
			RecordingGroup: &configtypes.RecordingGroup{
				AllSupported:               false,
				IncludeGlobalResourceTypes: false,
				ResourceTypes:              []configtypes.ResourceType{configtypes.ResourceTypeBucket, configtypes.ResourceTypeUser},
				RecordingStrategy:          &configtypes.RecordingStrategy{UseOnly: configtypes.RecordingStrategyTypeInclusionByResourceTypes},
			},
		},
	})
	if err != nil {
		t.Fatalf("PutConfigurationRecorder: %v", err)
	}
	if _, err := c.Config.PutDeliveryChannel(ctx, &configservice.PutDeliveryChannelInput{
		DeliveryChannel: &configtypes.DeliveryChannel{Name: aws.String("default"), S3BucketName: aws.String("config-history")},
	}); err != nil {
		t.Fatalf("PutDeliveryChannel: %v", err)
	}
	if _, err := c.Config.StartConfigurationRecorder(ctx, &configservice.StartConfigurationRecorderInput{ConfigurationRecorderName: aws.String("default")}); err != nil {
		t.Fatalf("StartConfigurationRecorder: %v", err)
	}

	recs := collect(t, "aws_config_configuration_recorder", c)
	if len(recs) != 1 {
		t.Fatalf("got %d recorders, want 1", len(recs))
	}
	row := storedValues(t, "aws_config_configuration_recorder", recs[0])
	expectColumns(t, "eu-south-1", row, map[string]any{
		"arn":                           "arn:aws:config:eu-south-1:" + emulator.DefaultAccountID + ":configuration-recorder/default",
		"name":                          "default",
		"role_arn":                      "arn:aws:iam::" + emulator.DefaultAccountID + ":role/config-recorder",
		"all_supported":                 false,
		"include_global_resource_types": false,
		"resource_types":                []string{"AWS::S3::Bucket", "AWS::IAM::User"},
		"recording_strategy":            "INCLUSION_BY_RESOURCE_TYPES",
		"recording":                     true,
	})
	if row["last_start_time"] == nil {
		t.Error("got last_start_time NULL, want the start time")
	}

	// A region without a recorder has no row, and its partition succeeds.
	empty := motoRegionClients(t, "eu-south-2")
	if recs := collect(t, "aws_config_configuration_recorder", empty); len(recs) != 0 {
		t.Errorf("eu-south-2: got %d recorders, want 0", len(recs))
	}
}
