package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	securityhubtypes "github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_securityhub_hub",
		Description: "Security Hub in each region of the account: one row per region, with enabled false " +
			"where the account is not subscribed to Security Hub.",
		Key: tables.ColRegion,
		Columns: []store.Column{
			{Name: "enabled", Type: store.TypeBool, Description: "True when Security Hub is enabled in the region, false when the account is not subscribed."},
			{Name: "hub_arn", Type: store.TypeText, Description: "ARN of the hub. NULL when Security Hub is not enabled."},
			{Name: "subscribed_at", Type: store.TypeTimestamp, Description: "Time Security Hub was enabled."},
			{Name: "auto_enable_controls", Type: store.TypeBool, Description: "True when new controls of enabled standards are enabled automatically."},
			{Name: "control_finding_generator", Type: store.TypeText, Description: "SECURITY_CONTROL (one finding per control across standards) or STANDARD_CONTROL (one per standard)."},
			{Name: "enabled_standards", Type: store.TypeTextList, Description: "ARNs of the standards the hub is subscribed to, whatever their subscription status (see raw). NULL when unknown."},
		},
	}, fetchSecurityHubHub)
}

// securityHubRaw is the raw column of aws_securityhub_hub: DescribeHub's
// output and the enabled standards.
type securityHubRaw struct {
	HubArn                  *string
	SubscribedAt            *string
	AutoEnableControls      *bool
	ControlFindingGenerator securityhubtypes.ControlFindingGenerator
	StandardsSubscriptions  []securityhubtypes.StandardsSubscription
}

func fetchSecurityHubHub(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	hub, err := c.SecurityHub.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	// An account that is not subscribed gets InvalidAccessException
	// ("Account ... is not subscribed to AWS Security Hub").
	// ResourceNotFoundException also means that no hub exists.
	if IsErrorCode(err, "InvalidAccessException", "ResourceNotFoundException") {
		return emit(tables.Record{"enabled": false})
	}
	if err != nil {
		return fmt.Errorf("describe hub: %w", err)
	}

	raw := securityHubRaw{
		HubArn:                  hub.HubArn,
		SubscribedAt:            hub.SubscribedAt,
		AutoEnableControls:      hub.AutoEnableControls,
		ControlFindingGenerator: hub.ControlFindingGenerator,
	}
	rec := tables.Record{
		"enabled":                   true,
		"hub_arn":                   hub.HubArn,
		"subscribed_at":             hub.SubscribedAt,
		"auto_enable_controls":      hub.AutoEnableControls,
		"control_finding_generator": emptyToNull(string(hub.ControlFindingGenerator)),
		"raw":                       &raw,
	}

	standards, err := enabledSecurityHubStandards(ctx, c)
	switch {
	case isUnknownDetailError(err):
		// enabled_standards stays NULL.
	case err != nil:
		return err
	default:
		raw.StandardsSubscriptions = standards
		arns := make([]string, 0, len(standards))
		for _, s := range standards {
			arns = append(arns, aws.ToString(s.StandardsArn))
		}
		rec["enabled_standards"] = arns
	}
	return emit(rec)
}

// enabledSecurityHubStandards returns every standards subscription of the
// hub, across pages.
func enabledSecurityHubStandards(ctx context.Context, c *Clients) ([]securityhubtypes.StandardsSubscription, error) {
	var all []securityhubtypes.StandardsSubscription
	pages := securityhub.NewGetEnabledStandardsPaginator(c.SecurityHub, &securityhub.GetEnabledStandardsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get enabled standards: %w", err)
		}
		all = append(all, page.StandardsSubscriptions...)
	}
	return all, nil
}
