package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/security/armsecurity"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_security_pricing",
		Description: "Microsoft Defender for Cloud plans of the subscription, one row per plan (VirtualMachines, SqlServers, StorageAccounts, KeyVaults, ...), with its pricing tier.",
		Key:         "id",
		// The remaining trial shrinks every day without a change of plan.
		IgnoreInDrift: []string{"free_trial_remaining_time", "raw.properties.freeTrialRemainingTime"},
		Columns: []store.Column{
			{Name: "id", Type: store.TypeText, Description: "ARM id of the plan in lower case; the key of the row."},
			{Name: "arm_id", Type: store.TypeText, Description: "ARM id of the plan as the API returned it."},
			{Name: "name", Type: store.TypeText, Description: "Name of the plan, such as VirtualMachines, SqlServers, StorageAccounts, KeyVaults, Arm or CloudPosture."},
			{Name: "pricing_tier", Type: store.TypeText, Description: "Free (Defender plan off) or Standard (Defender plan on)."},
			{Name: "sub_plan", Type: store.TypeText, Description: "Sub-plan, such as P1 or P2 for servers or DefenderForStorageV2 for storage."},
			{Name: "enablement_time", Type: store.TypeTimestamp, Description: "Time the Standard tier was last enabled."},
			{Name: "free_trial_remaining_time", Type: store.TypeText, Description: "Remaining free trial as an ISO 8601 duration."},
			{Name: "deprecated", Type: store.TypeBool, Description: "True when the plan is deprecated; replaced_by names its successors."},
			{Name: "replaced_by", Type: store.TypeTextList, Description: "Plans that replace a deprecated plan."},
			{Name: "extensions", Type: store.TypeJSON, Description: "Extensions of the plan with their enabled state and settings."},
		},
	}, fetchPricings)
}

func fetchPricings(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	client, err := armsecurity.NewPricingsClient(c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create Defender for Cloud pricings client: %w", err)
	}
	resp, err := client.List(ctx, "subscriptions/"+c.SubscriptionID, nil)
	if err != nil {
		return fmt.Errorf("list Defender for Cloud pricings: %w", err)
	}
	for _, p := range resp.Value {
		if p != nil {
			if err := emit(pricingRow(p)); err != nil {
				return err
			}
		}
	}
	return nil
}

// pricingRow builds the azure_security_pricing record of a Defender plan.
func pricingRow(p *armsecurity.Pricing) tables.Record {
	rec := tables.Record{
		"id":     LowerID(deref(p.ID)),
		"arm_id": textOrNil(deref(p.ID)),
		"name":   p.Name,
		"region": tables.GlobalRegion,
		"raw":    p,
	}
	if props := p.Properties; props != nil {
		rec["pricing_tier"] = props.PricingTier
		rec["sub_plan"] = props.SubPlan
		rec["enablement_time"] = props.EnablementTime
		rec["free_trial_remaining_time"] = props.FreeTrialRemainingTime
		rec["deprecated"] = props.Deprecated
		rec["replaced_by"] = stringList(props.ReplacedBy)
		rec["extensions"] = props.Extensions
	}
	return rec
}
