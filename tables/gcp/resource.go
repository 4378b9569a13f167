package gcp

import (
	"context"
	"fmt"
	"slices"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// ColAssetName is the key column of every GCP table that holds one asset
// per row.
const ColAssetName = "asset_name"

var assetNameColumn = store.Column{Name: ColAssetName, Type: store.TypeText,
	Description: "Full resource name of the asset, such as //storage.googleapis.com/projects/_/buckets/logs."}

// column is a table column filled from the resource data, either from the
// first of paths that is present or by value.
type column struct {
	store.Column
	// paths are dotted paths into the resource's REST representation,
	// such as "iamConfiguration.uniformBucketLevelAccess.enabled".
	paths []string
	value func(v *view) (any, error)
}

// field declares a column read from the first present path. Without a
// path, the column's name in camelCase is the path.
func field(name, typ, description string, paths ...string) column {
	if len(paths) == 0 {
		paths = []string{lowerCamel(name)}
	}
	return column{Column: store.Column{Name: name, Type: typ, Description: description}, paths: paths}
}

// computed declares a column that value derives from the resource.
func computed(name, typ, description string, value func(v *view) (any, error)) column {
	return column{Column: store.Column{Name: name, Type: typ, Description: description}, value: value}
}

// resourceTable is a table with one row per asset of some resource types.
type resourceTable struct {
	name        string
	description string
	assetTypes  []string
	columns     []column
	// labels is the path of the resource's labels, which fill the tags
	// column ("labels" when empty).
	labels string
	// redact lists paths whose values are secrets: raw keeps the field
	// with the value "REDACTED".
	redact []string
	// ignoreInDrift lists columns that change without a change of
	// configuration.
	ignoreInDrift []string
}

func registerResource(rt resourceTable) {
	assetTypesByTable[rt.name] = rt.assetTypes
	cols := []store.Column{assetNameColumn}
	for _, c := range rt.columns {
		cols = append(cols, c.Column)
	}
	register(&tables.Table{
		Name:          rt.name,
		Description:   rt.description,
		Key:           ColAssetName,
		Columns:       cols,
		IgnoreInDrift: rt.ignoreInDrift,
	}, func(ctx context.Context, c *Client, emit func(tables.Record) error) error {
		req := ListRequest{AssetTypes: rt.assetTypes, ContentType: gcpasset.ContentResource}
		err := c.Assets.ListAssets(ctx, req, func(a *gcpasset.Asset) error {
			if a.Resource == nil || !slices.Contains(rt.assetTypes, a.AssetType) {
				return nil
			}
			rec, err := rt.record(a)
			if err != nil {
				return fmt.Errorf("asset %s: %w", a.Name, err)
			}
			return emit(rec)
		})
		if err != nil {
			return fmt.Errorf("list %v assets of project %s: %w", rt.assetTypes, c.ProjectID, err)
		}
		return nil
	})
}

// record builds the row of one asset.
func (rt resourceTable) record(a *gcpasset.Asset) (tables.Record, error) {
	v, err := newView(a)
	if err != nil {
		return nil, err
	}
	rec := tables.Record{
		ColAssetName:     a.Name,
		tables.ColRegion: v.location(),
	}
	for _, c := range rt.columns {
		var val any
		if c.value != nil {
			val, err = c.value(v)
		} else {
			val, err = v.typed(c.Type, c.paths...)
		}
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		rec[c.Name] = val
	}
	labels := rt.labels
	if labels == "" {
		labels = "labels"
	}
	if rec[tables.ColTags], err = v.stringMap(labels); err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if rec[tables.ColRaw], err = v.rawJSON(rt.redact); err != nil {
		return nil, err
	}
	return rec, nil
}

// assetTypesByTable maps each resource table to its asset types.
var assetTypesByTable = map[string][]string{}

// AssetTypes returns the asset types that a table reads: its own for a
// resource table, nil for gcp_asset and the policy tables, which read
// every type.
func AssetTypes(table string) []string { return assetTypesByTable[table] }
