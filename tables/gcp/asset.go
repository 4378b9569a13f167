package gcp

import (
	"context"
	"fmt"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// assetTableName is the table of every asset.
const assetTableName = "gcp_asset"

func init() {
	register(&tables.Table{
		Name: assetTableName,
		Description: "Every resource asset of every type, as Cloud Asset Inventory lists it, with its resource data in raw. " +
			"Types without a table of their own are found here.",
		Key: ColAssetName,
		Columns: []store.Column{
			assetNameColumn,
			{Name: "asset_type", Type: store.TypeText, Description: "Asset type, such as storage.googleapis.com/Bucket."},
			{Name: "ancestors", Type: store.TypeTextList, Description: "Resource hierarchy from the project up: projects/NUMBER, folders/ID, organizations/ID."},
			{Name: "update_time", Type: store.TypeTimestamp, Description: "Last time the asset's content changed; NULL when the record has none."},
			{Name: "parent", Type: store.TypeText, Description: "Full resource name of the parent, such as //cloudresourcemanager.googleapis.com/projects/123."},
			{Name: "version", Type: store.TypeText, Description: "API version of the resource data, such as v1."},
			{Name: "discovery_name", Type: store.TypeText, Description: "Name of the resource's schema in the API's discovery document, such as Bucket."},
			{Name: "access_context_kind", Type: store.TypeText, Description: "access_policy, access_level or service_perimeter for an Access Context Manager object; NULL otherwise."},
			{Name: "access_context", Type: store.TypeJSON, Description: "The Access Context Manager object (VPC Service Controls) of the asset."},
		},
		IgnoreInDrift: []string{"update_time"},
	}, fetchAssets)
}

// fetchAssets lists every resource of the project. Records that hold an
// Access Context Manager object and no resource, as organization exports
// do, get a row too, so that import keeps them.
func fetchAssets(ctx context.Context, c *Client, emit func(tables.Record) error) error {
	req := ListRequest{ContentType: gcpasset.ContentResource}
	if c.AssetType != "" {
		req.AssetTypes = []string{c.AssetType}
	}
	err := c.Assets.ListAssets(ctx, req, func(a *gcpasset.Asset) error {
		if a.Resource == nil && a.AccessContextKind == "" {
			return nil
		}
		rec, err := assetRecord(a)
		if err != nil {
			return fmt.Errorf("asset %s: %w", a.Name, err)
		}
		return emit(rec)
	})
	if err != nil {
		return fmt.Errorf("list the assets of project %s: %w", c.ProjectID, err)
	}
	return nil
}

func assetRecord(a *gcpasset.Asset) (tables.Record, error) {
	v, err := newView(a)
	if err != nil {
		return nil, err
	}
	rec := tables.Record{
		ColAssetName:     a.Name,
		tables.ColRegion: v.location(),
		"asset_type":     a.AssetType,
		"ancestors":      a.Ancestors,
		"update_time":    a.UpdateTime,
	}
	if a.Resource != nil {
		rec["parent"] = nullIfEmpty(a.Resource.Parent)
		rec["version"] = nullIfEmpty(a.Resource.Version)
		rec["discovery_name"] = nullIfEmpty(a.Resource.DiscoveryName)
		if rec[tables.ColRaw], err = v.rawJSON(nil); err != nil {
			return nil, err
		}
		if rec[tables.ColTags], err = v.stringMap("labels"); err != nil {
			// Labels of an unknown type are left out rather than failing
			// the project's whole listing.
			rec[tables.ColTags] = nil
		}
	}
	if a.AccessContextKind != "" {
		rec["access_context_kind"] = a.AccessContextKind
		rec["access_context"] = a.AccessContext
	}
	return rec, nil
}
