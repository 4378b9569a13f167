package awsstub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// RegionData is everything the stub serves for one account in one region.
type RegionData struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	// Analyzers are returned by ListAnalyzers in this order.
	Analyzers []Analyzer `json:"analyzers,omitempty"`
	// Hub is the Security Hub subscription. Nil means Security Hub is not
	// enabled, and its calls fail with InvalidAccessException.
	Hub *Hub `json:"hub,omitempty"`
	// Standards are returned by GetEnabledStandards in this order.
	Standards []StandardsSubscription `json:"standards,omitempty"`
}

// Analyzer is an IAM Access Analyzer analyzer, in the member names of the
// ListAnalyzers response.
type Analyzer struct {
	ARN                    string            `json:"arn"`
	Name                   string            `json:"name"`
	Type                   string            `json:"type"`   // ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ...
	Status                 string            `json:"status"` // ACTIVE, CREATING, DISABLED or FAILED
	CreatedAt              time.Time         `json:"createdAt"`
	LastResourceAnalyzed   string            `json:"lastResourceAnalyzed,omitempty"`
	LastResourceAnalyzedAt *time.Time        `json:"lastResourceAnalyzedAt,omitempty"`
	StatusReasonCode       string            `json:"statusReasonCode,omitempty"`
	Tags                   map[string]string `json:"tags,omitempty"`
	// UnusedAccessAge, when above zero, is sent as
	// configuration.unusedAccess.unusedAccessAge, in days.
	UnusedAccessAge int `json:"unusedAccessAge,omitempty"`
}

// Hub is a Security Hub subscription, in the member names of the
// DescribeHub response.
type Hub struct {
	HubARN                  string    `json:"HubArn"`
	SubscribedAt            time.Time `json:"SubscribedAt"`
	AutoEnableControls      bool      `json:"AutoEnableControls"`
	ControlFindingGenerator string    `json:"ControlFindingGenerator,omitempty"` // SECURITY_CONTROL or STANDARD_CONTROL
}

// StandardsSubscription is an enabled Security Hub standard, in the member
// names of the GetEnabledStandards response.
type StandardsSubscription struct {
	StandardsSubscriptionARN   string            `json:"StandardsSubscriptionArn"`
	StandardsARN               string            `json:"StandardsArn"`
	StandardsInput             map[string]string `json:"StandardsInput,omitempty"`
	StandardsStatus            string            `json:"StandardsStatus"` // PENDING, READY, FAILED, DELETING or INCOMPLETE
	StandardsStatusReasonCode  string            `json:"StandardsStatusReasonCode,omitempty"`
	StandardsControlsUpdatable string            `json:"StandardsControlsUpdatable,omitempty"` // READY_FOR_UPDATES or NOT_READY_FOR_UPDATES
}

// File is the JSON form of the stub's data:
//
//	{
//	  "accessKeys": {"AKIAEXAMPLE": "222233334444"},
//	  "regions": [
//	    {"account": "123456789012", "region": "us-east-1",
//	     "analyzers": [{"arn": "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/main",
//	                    "name": "main", "type": "ACCOUNT", "status": "ACTIVE",
//	                    "createdAt": "2024-01-02T03:04:05Z"}],
//	     "hub": {"HubArn": "arn:aws:securityhub:us-east-1:123456789012:hub/default",
//	             "SubscribedAt": "2024-01-02T03:04:05Z", "AutoEnableControls": true}}
//	  ]
//	}
type File struct {
	// AccessKeys maps access key ids to account ids.
	AccessKeys map[string]string `json:"accessKeys,omitempty"`
	Regions    []RegionData      `json:"regions"`
}

// LoadFile reads and validates a File.
func LoadFile(name string) (File, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return File{}, fmt.Errorf("read stub data: %w", err)
	}
	var f File
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&f); err != nil {
		return File{}, fmt.Errorf("parse stub data %s: %w", name, err)
	}
	for i, r := range f.Regions {
		if err := r.validate(); err != nil {
			return File{}, fmt.Errorf("stub data %s: region entry %d: %w", name, i+1, err)
		}
	}
	return f, nil
}

func (r RegionData) validate() error {
	if r.Account == "" || r.Region == "" {
		return fmt.Errorf("missing account or region (got account %q, region %q)", r.Account, r.Region)
	}
	for i, a := range r.Analyzers {
		if a.ARN == "" || a.Name == "" {
			return fmt.Errorf("analyzer %d: missing arn or name", i+1)
		}
	}
	if r.Hub != nil && r.Hub.HubARN == "" {
		return fmt.Errorf("hub: missing HubArn")
	}
	for i, s := range r.Standards {
		if s.StandardsSubscriptionARN == "" || s.StandardsARN == "" {
			return fmt.Errorf("standard %d: missing StandardsSubscriptionArn or StandardsArn", i+1)
		}
	}
	return nil
}
