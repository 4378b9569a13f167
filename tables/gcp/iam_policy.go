package gcp

import (
	"context"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "gcp_iam_policy",
		Description: "IAM policies as set on projects, folders, organizations and resources, one row per resource, " +
			"with their bindings and audit logging configuration.",
		Key: ColAssetName,
		Columns: []store.Column{
			assetNameColumn,
			{Name: "asset_type", Type: store.TypeText, Description: "Asset type of the resource that the policy is set on."},
			{Name: "version", Type: store.TypeInt, Description: "Policy format version: 1, or 3 when bindings have conditions."},
			{Name: "etag", Type: store.TypeText, Description: "Etag of the policy, which changes with every change of the policy."},
			{Name: "bindings", Type: store.TypeJSON, Description: "Role bindings, each with a role, members and an optional condition."},
			{Name: "audit_configs", Type: store.TypeJSON, Description: "Data Access audit log settings, each with a service and log types with exempted members."},
		},
		IgnoreInDrift: []string{"etag"},
	}, fetchIAMPolicies)
}

func fetchIAMPolicies(ctx context.Context, c *Client, emit func(tables.Record) error) error {
	return c.Assets.ListAssets(ctx, ListRequest{ContentType: gcpasset.ContentIAMPolicy}, func(a *gcpasset.Asset) error {
		p := a.IAMPolicy
		if p == nil {
			return nil
		}
		rec := tables.Record{
			ColAssetName:     a.Name,
			tables.ColRegion: policyLocation(a.Name),
			"asset_type":     a.AssetType,
			"version":        p.Version,
			"etag":           p.Etag,
			"bindings":       p.Bindings,
			"audit_configs":  p.AuditConfigs,
			tables.ColRaw:    p,
		}
		if p.Bindings == nil {
			rec["bindings"] = []gcpasset.Binding{}
		}
		if p.AuditConfigs == nil {
			rec["audit_configs"] = []gcpasset.AuditConfig{}
		}
		return emit(rec)
	})
}
