package aws

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/awsstub"
)

func TestSecurityHubFixture(t *testing.T) {
	tests := []struct {
		region string
		want   map[string]any
	}{
		{
			region: "us-east-1",
			want: map[string]any{
				"enabled":                   true,
				"hub_arn":                   "arn:aws:securityhub:us-east-1:111122223333:hub/default",
				"subscribed_at":             parseWantTime(t, "2023-06-07T08:09:10.111Z"),
				"auto_enable_controls":      true,
				"control_finding_generator": "SECURITY_CONTROL",
				"enabled_standards": []string{
					"arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0",
					"arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
				},
			},
		},
		{
			// Not subscribed: a row records that, for "enabled in every
			// region" checks.
			region: "eu-west-1",
			want: map[string]any{
				"enabled":           false,
				"hub_arn":           nil,
				"subscribed_at":     nil,
				"enabled_standards": nil,
				"raw":               nil,
			},
		},
		{
			// GetEnabledStandards was not collected: the list is unknown.
			region: "eu-central-1",
			want: map[string]any{
				"enabled":                   true,
				"auto_enable_controls":      false,
				"control_finding_generator": nil,
				"enabled_standards":         nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			c := testdataClients(t, "aws_securityhub_hub", tt.region)
			recs := collect(t, "aws_securityhub_hub", c)
			if len(recs) != 1 {
				t.Fatalf("got %d rows, want 1", len(recs))
			}
			row := storedValues(t, "aws_securityhub_hub", recs[0])
			// The record leaves region, the key, to the engine.
			if row["region"] != nil {
				t.Errorf("got region %v in the record, want it left to the engine", row["region"])
			}
			expectColumns(t, tt.region, row, tt.want)
		})
	}
}

func TestSecurityHubRawStandards(t *testing.T) {
	c := testdataClients(t, "aws_securityhub_hub", "us-east-1")
	recs := collect(t, "aws_securityhub_hub", c)
	if len(recs) != 1 {
		t.Fatalf("got %d rows, want 1", len(recs))
	}
	var raw struct {
		HubArn                 string
		StandardsSubscriptions []struct {
			StandardsStatus       string
			StandardsStatusReason struct{ StatusReasonCode string }
		}
	}
	text, _ := storedValues(t, "aws_securityhub_hub", recs[0])["raw"].(string)
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		t.Fatalf("raw %q: %v", text, err)
	}
	if len(raw.StandardsSubscriptions) != 2 {
		t.Fatalf("raw: got %d standards subscriptions, want 2", len(raw.StandardsSubscriptions))
	}
	if got := raw.StandardsSubscriptions[1].StandardsStatus; got != "INCOMPLETE" {
		t.Errorf("raw: got second standard status %q, want INCOMPLETE", got)
	}
	if got := raw.StandardsSubscriptions[1].StandardsStatusReason.StatusReasonCode; got != "NO_AVAILABLE_CONFIGURATION_RECORDER" {
		t.Errorf("raw: got status reason %q, want NO_AVAILABLE_CONFIGURATION_RECORDER", got)
	}
}

func TestSecurityHubErrors(t *testing.T) {
	tests := []struct {
		name     string
		clients  func(t *testing.T) *Clients
		wantCode string
	}{
		{
			// Access denied is a blind spot for the engine, never "not
			// enabled".
			name:     "access denied",
			clients:  func(t *testing.T) *Clients { return testdataClients(t, "aws_securityhub_hub", "ap-south-1") },
			wantCode: "AccessDeniedException",
		},
		{
			name:     "demo data not collected",
			clients:  func(t *testing.T) *Clients { return demoDataClients(t, "us-east-1") },
			wantCode: "NotCollected",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := fetchRecordsOrError(t, "aws_securityhub_hub", tt.clients(t))
			if got := ErrorCode(err); got != tt.wantCode {
				t.Errorf("got error %v (code %q), want code %s", err, got, tt.wantCode)
			}
			if len(recs) != 0 {
				t.Errorf("got %d records, want 0", len(recs))
			}
		})
	}
}

// TestSecurityHubStub runs the table over HTTP against awsstub.
//
// NOTE: there is no moto test of this table, because moto 5.2.1 returns
// HTTP 404 for GetEnabledStandards, which fails the partition.
func TestSecurityHubStub(t *testing.T) {
	subscribed := time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)
	hubARN := "arn:aws:securityhub:eu-west-3:" + emulator.DefaultAccountID + ":hub/default"
	standards := []awsstub.StandardsSubscription{
		{StandardsSubscriptionARN: "arn:aws:securityhub:eu-west-3:" + emulator.DefaultAccountID + ":subscription/cis/1", StandardsARN: "arn:aws:securityhub:eu-west-3::standards/cis-aws-foundations-benchmark/v/3.0.0", StandardsStatus: "READY"},
		{StandardsSubscriptionARN: "arn:aws:securityhub:eu-west-3:" + emulator.DefaultAccountID + ":subscription/fsbp/1", StandardsARN: "arn:aws:securityhub:eu-west-3::standards/aws-foundational-security-best-practices/v/1.0.0", StandardsStatus: "READY"},
		{StandardsSubscriptionARN: "arn:aws:securityhub:eu-west-3:" + emulator.DefaultAccountID + ":subscription/pci/1", StandardsARN: "arn:aws:securityhub:eu-west-3::standards/pci-dss/v/3.2.1", StandardsStatus: "INCOMPLETE", StandardsStatusReasonCode: "NO_AVAILABLE_CONFIGURATION_RECORDER"},
	}
	// Pages of two standards, so the three take two GetEnabledStandards
	// calls.
	stub := awsstub.Start(t, awsstub.Options{PageSize: 2}, awsstub.RegionData{
		Account: emulator.DefaultAccountID,
		Region:  "eu-west-3",
		Hub: &awsstub.Hub{
			HubARN: hubARN, SubscribedAt: subscribed, AutoEnableControls: true, ControlFindingGenerator: "STANDARD_CONTROL",
		},
		Standards: standards,
	})

	tests := []struct {
		region string
		want   map[string]any
	}{
		{
			region: "eu-west-3",
			want: map[string]any{
				"enabled":                   true,
				"hub_arn":                   hubARN,
				"subscribed_at":             subscribed,
				"auto_enable_controls":      true,
				"control_finding_generator": "STANDARD_CONTROL",
				"enabled_standards":         []string{standards[0].StandardsARN, standards[1].StandardsARN, standards[2].StandardsARN},
			},
		},
		{
			// The stub returns InvalidAccessException where no hub is set,
			// as AWS does for an account that is not subscribed.
			region: "ap-northeast-1",
			want: map[string]any{
				"enabled":           false,
				"hub_arn":           nil,
				"enabled_standards": nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			c := NewClients(stub.AWSConfig(tt.region), emulator.DefaultAccountID, tt.region)
			recs := collect(t, "aws_securityhub_hub", c)
			if len(recs) != 1 {
				t.Fatalf("got %d rows, want 1", len(recs))
			}
			expectColumns(t, tt.region, storedValues(t, "aws_securityhub_hub", recs[0]), tt.want)
		})
	}
}
