package aws

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	guarddutytypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func TestGuardDutyDemoDataNoDetector(t *testing.T) {
	// guardduty-list-detectors.json lists no detector: one row records that.
	c := demoDataClients(t, "us-east-1")
	recs := collect(t, "aws_guardduty_detector", c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	expectColumns(t, "demo us-east-1", storedValues(t, "aws_guardduty_detector", recs[0]), map[string]any{
		"enabled":     false,
		"detector_id": nil,
		"arn":         nil,
		"status":      nil,
		"created_at":  nil,
		"tags":        nil,
	})
}

func TestGuardDutyFixture(t *testing.T) {
	tests := []struct {
		region string
		want   map[string]any
	}{
		{
			region: "us-east-1",
			want: map[string]any{
				"enabled":                      true,
				"detector_id":                  "12abc34d567e8fa901bc2d34e56789f0",
				"arn":                          "arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0",
				"status":                       "ENABLED",
				"finding_publishing_frequency": "SIX_HOURS",
				"service_role":                 "arn:aws:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty",
				"created_at":                   parseWantTime(t, "2021-03-04T05:06:07.890Z"),
				"updated_at":                   parseWantTime(t, "2024-05-06T07:08:09Z"),
			},
		},
		{
			region: "eu-west-1",
			want: map[string]any{
				"enabled":      false,
				"detector_id":  nil,
				"features":     nil,
				"data_sources": nil,
			},
		},
		{
			// The detector exists but GetDetector was not collected: its
			// state is unknown, not disabled.
			region: "eu-central-1",
			want: map[string]any{
				"enabled":     nil,
				"detector_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
				"status":      nil,
				"tags":        nil,
			},
		},
		{
			region: "ap-south-1",
			want: map[string]any{
				"enabled":                      false,
				"status":                       "DISABLED",
				"finding_publishing_frequency": "FIFTEEN_MINUTES",
				"service_role":                 nil,
				"features":                     nil,
				"data_sources":                 nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			c := testdataClients(t, "aws_guardduty_detector", tt.region)
			recs := collect(t, "aws_guardduty_detector", c)
			if len(recs) != 1 {
				t.Fatalf("got %d rows, want 1", len(recs))
			}
			expectColumns(t, tt.region, storedValues(t, "aws_guardduty_detector", recs[0]), tt.want)
		})
	}
}

func TestGuardDutyFeaturesAndTags(t *testing.T) {
	c := testdataClients(t, "aws_guardduty_detector", "us-east-1")
	recs := collect(t, "aws_guardduty_detector", c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	row := storedValues(t, "aws_guardduty_detector", recs[0])

	var features []struct {
		Name                    string
		Status                  string
		AdditionalConfiguration []struct{ Name, Status string }
	}
	if err := json.Unmarshal([]byte(row["features"].(string)), &features); err != nil {
		t.Fatalf("features: %v", err)
	}
	if len(features) != 3 {
		t.Fatalf("got %d features, want 3", len(features))
	}
	if got := features[1].Name + "=" + features[1].Status; got != "S3_DATA_EVENTS=DISABLED" {
		t.Errorf("got second feature %s, want S3_DATA_EVENTS=DISABLED", got)
	}
	if len(features[2].AdditionalConfiguration) != 1 || features[2].AdditionalConfiguration[0].Name != "EKS_ADDON_MANAGEMENT" {
		t.Errorf("got runtime monitoring configuration %+v, want EKS_ADDON_MANAGEMENT", features[2].AdditionalConfiguration)
	}

	var sources struct {
		S3Logs     struct{ Status string }
		Kubernetes struct{ AuditLogs struct{ Status string } }
	}
	if err := json.Unmarshal([]byte(row["data_sources"].(string)), &sources); err != nil {
		t.Fatalf("data_sources: %v", err)
	}
	if sources.S3Logs.Status != "DISABLED" {
		t.Errorf("got S3Logs status %q, want DISABLED", sources.S3Logs.Status)
	}
	if sources.Kubernetes.AuditLogs.Status != "DISABLED" {
		t.Errorf("got Kubernetes audit logs status %q, want DISABLED", sources.Kubernetes.AuditLogs.Status)
	}

	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"owner": "secops"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row["tags"], wantTags) {
		t.Errorf("got tags %v, want %v", row["tags"], wantTags)
	}
}

func TestGuardDutyNotSubscribed(t *testing.T) {
	// SubscriptionRequiredException on ListDetectors is a blind spot for
	// the engine, not a region without a detector.
	c := testdataClients(t, "aws_guardduty_detector", "sa-east-1")
	recs, err := fetchRecordsOrError(t, "aws_guardduty_detector", c)
	if !IsErrorCode(err, "SubscriptionRequiredException") {
		t.Errorf("got error %v, want SubscriptionRequiredException", err)
	}
	if len(recs) != 0 {
		t.Errorf("got %d records, want 0", len(recs))
	}
}

func TestGuardDutyMoto(t *testing.T) {
	ctx := context.Background()
	c := motoRegionClients(t, "ap-southeast-3")

	out, err := c.GuardDuty.CreateDetector(ctx, &guardduty.CreateDetectorInput{
		Enable:                     aws.Bool(true),
		FindingPublishingFrequency: guarddutytypes.FindingPublishingFrequencyOneHour,
		DataSources: &guarddutytypes.DataSourceConfigurations{
			S3Logs: &guarddutytypes.S3LogsConfiguration{Enable: aws.Bool(true)},
		},
		Tags: map[string]string{"owner": "secops"},
	})
	if err != nil {
		t.Fatalf("CreateDetector: %v", err)
	}
	id := aws.ToString(out.DetectorId)

	recs := collect(t, "aws_guardduty_detector", c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	row := storedValues(t, "aws_guardduty_detector", recs[0])
	expectColumns(t, "ap-southeast-3", row, map[string]any{
		"enabled":                      true,
		"detector_id":                  id,
		"arn":                          "arn:aws:guardduty:ap-southeast-3:" + emulator.DefaultAccountID + ":detector/" + id,
		"status":                       "ENABLED",
		"finding_publishing_frequency": "ONE_HOUR",
	})
	if row["created_at"] == nil {
		t.Error("got created_at NULL, want the creation time")
	}
	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"owner": "secops"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row["tags"], wantTags) {
		t.Errorf("got tags %v, want %v", row["tags"], wantTags)
	}

	// Disabling the detector keeps the row and turns enabled false.
	if _, err := c.GuardDuty.UpdateDetector(ctx, &guardduty.UpdateDetectorInput{DetectorId: out.DetectorId, Enable: aws.Bool(false)}); err != nil {
		t.Fatalf("UpdateDetector: %v", err)
	}
	recs = collect(t, "aws_guardduty_detector", c)
	if len(recs) != 1 {
		t.Fatalf("after disabling: got %d rows, want 1", len(recs))
	}
	expectColumns(t, "ap-southeast-3 disabled", storedValues(t, "aws_guardduty_detector", recs[0]), map[string]any{
		"enabled": false,
		"status":  "DISABLED",
	})

	// A region without a detector still has its row.
	none := collect(t, "aws_guardduty_detector", motoRegionClients(t, "me-south-1"))
	if len(none) != 1 {
		t.Fatalf("me-south-1: got %d rows, want 1", len(none))
	}
	expectColumns(t, "me-south-1", storedValues(t, "aws_guardduty_detector", none[0]), map[string]any{
		"enabled":     false,
		"detector_id": nil,
	})
}
