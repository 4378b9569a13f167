package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	guarddutytypes "github.com/aws/aws-sdk-go-v2/service/guardduty/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_guardduty_detector",
		Description: "GuardDuty detector of each region of the account: one row per region, " +
			"with enabled false and NULL details where the region has no detector.",
		// GuardDuty allows one detector per account and region, so the
		// region identifies the row, with or without a detector.
		Key: tables.ColRegion,
		Columns: []store.Column{
			{Name: "enabled", Type: store.TypeBool, Description: "True when the region has a detector whose status is ENABLED, false when it has none or a disabled one. NULL when the detector's details are unknown."},
			{Name: "detector_id", Type: store.TypeText, Description: "ID of the detector. NULL when the region has none."},
			{Name: "arn", Type: store.TypeText, Description: "arn:<partition>:guardduty:<region>:<account>:detector/<detector_id>, built by stance because the API returns no ARN."},
			{Name: "status", Type: store.TypeText, Description: "ENABLED or DISABLED."},
			{Name: "finding_publishing_frequency", Type: store.TypeText, Description: "How often updated findings are exported: FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS."},
			{Name: "service_role", Type: store.TypeText, Description: "ARN of GuardDuty's service-linked role."},
			{Name: "created_at", Type: store.TypeTimestamp, Description: "Time the detector was created."},
			{Name: "updated_at", Type: store.TypeTimestamp, Description: "Time the detector was last updated."},
			{Name: "features", Type: store.TypeJSON, Description: "Protection plans (S3, EKS, RDS, Lambda, malware, runtime monitoring, ...) with their status, as a JSON list of DetectorFeatureConfigurationResult objects."},
			{Name: "data_sources", Type: store.TypeJSON, Description: "Data sources (CloudTrail, DNS logs, flow logs, S3 logs, Kubernetes, malware protection) with their status. AWS replaces this field with features."},
		},
	}, fetchGuardDutyDetectors)
}

// guardDutyDetectorRaw is the raw column of aws_guardduty_detector:
// GetDetector's output with the detector's ID.
type guardDutyDetectorRaw struct {
	DetectorId                 string
	Status                     guarddutytypes.DetectorStatus                       `json:",omitempty"`
	FindingPublishingFrequency guarddutytypes.FindingPublishingFrequency           `json:",omitempty"`
	ServiceRole                *string                                             `json:",omitempty"`
	CreatedAt                  *string                                             `json:",omitempty"`
	UpdatedAt                  *string                                             `json:",omitempty"`
	DataSources                *guarddutytypes.DataSourceConfigurationsResult      `json:",omitempty"`
	Features                   []guarddutytypes.DetectorFeatureConfigurationResult `json:",omitempty"`
	Tags                       map[string]string                                   `json:",omitempty"`
}

func fetchGuardDutyDetectors(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	var ids []string
	pages := guardduty.NewListDetectorsPaginator(c.GuardDuty, &guardduty.ListDetectorsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list detectors: %w", err)
		}
		ids = append(ids, page.DetectorIds...)
	}
	if len(ids) == 0 {
		return emit(tables.Record{"enabled": false})
	}

	// NOTE: AWS allows one detector per account and region. Should the list
	// hold several, they share the region key and the engine keeps the last.
	for _, id := range ids {
		rec, err := guardDutyDetectorRecord(ctx, c, id)
		if err != nil {
			return err
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

// guardDutyDetectorRecord builds the record of one detector from
// GetDetector. When the details cannot be read, only the ID and ARN are set.
func guardDutyDetectorRecord(ctx context.Context, c *Clients, id string) (tables.Record, error) {
	raw := guardDutyDetectorRaw{DetectorId: id}
	rec := tables.Record{
		"detector_id": id,
		"arn":         ARN(c.Partition, "guardduty", c.Region, c.AccountID, "detector/"+id),
		"raw":         &raw,
	}
	d, err := c.GuardDuty.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
	if isUnknownDetailError(err) {
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get detector %s: %w", id, err)
	}

	raw.Status = d.Status
	raw.FindingPublishingFrequency = d.FindingPublishingFrequency
	raw.ServiceRole = d.ServiceRole
	raw.CreatedAt = d.CreatedAt
	raw.UpdatedAt = d.UpdatedAt
	raw.DataSources = d.DataSources
	raw.Features = d.Features
	raw.Tags = d.Tags

	rec["enabled"] = d.Status == guarddutytypes.DetectorStatusEnabled
	rec["status"] = emptyToNull(string(d.Status))
	rec["finding_publishing_frequency"] = emptyToNull(string(d.FindingPublishingFrequency))
	rec["service_role"] = d.ServiceRole
	rec["created_at"] = d.CreatedAt
	rec["updated_at"] = d.UpdatedAt
	if d.DataSources != nil {
		rec["data_sources"] = d.DataSources
	}
	if len(d.Features) > 0 {
		rec["features"] = d.Features
	}
	rec["tags"] = Tags(d.Tags)
	return rec, nil
}
