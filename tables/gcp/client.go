// Package gcp defines stance's Google Cloud tables: one file per table,
// each with its columns, description and row builder. Every table reads
// Cloud Asset Inventory assets of one project through a Lister, which the
// sync provider backs either with the ListAssets API or with export files,
// so live sync and import share every line of row building.
package gcp

import (
	"context"
	"fmt"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/tables"
)

// Provider is the name of the GCP provider and the prefix of its tables.
const Provider = "gcp"

// ListRequest selects the assets of one listing.
type ListRequest struct {
	// AssetTypes limits the listing to these types; empty means all.
	AssetTypes []string
	// ContentType is gcpasset.ContentResource, ContentIAMPolicy or
	// ContentOrgPolicy.
	ContentType string
}

// Lister lists the assets of one project. It returns an error when the
// listing did not complete, and the partition then keeps its previous
// rows.
type Lister interface {
	ListAssets(ctx context.Context, req ListRequest, fn func(*gcpasset.Asset) error) error
}

// Client is the handle of one project that fetch functions receive.
type Client struct {
	// ProjectID is the project's id, the account_id of its rows.
	ProjectID string
	Assets    Lister
	// AssetType, when set, limits gcp_asset to one asset type. The sync
	// then reads gcp_asset in one partition per type, named by the type in
	// place of a region, so a sync of some types never closes the rows of
	// the others.
	AssetType string
	// Ancestors returns the project's folders and organization with the
	// IAM and organization policies set on them, which the project
	// inherits. It is nil when the sync reads no ancestor, and then the
	// policy tables hold only what is set inside the project.
	Ancestors func(ctx context.Context) ([]*gcpasset.Asset, error)
}

// FetchFunc is the signature of a GCP table's fetch function.
type FetchFunc func(ctx context.Context, c *Client, emit func(tables.Record) error) error

// register adds a GCP table to the registry, wrapping its typed fetch
// function. GCP tables are global: the engine reads each once per project,
// and each row's region column holds the asset's location. gcp_asset is
// the exception, see Client.AssetType.
func register(t *tables.Table, fetch FetchFunc) {
	t.Provider = Provider
	t.Global = t.Name != assetTableName
	t.Fetch = func(ctx context.Context, target tables.Target, emit func(tables.Record) error) error {
		c, ok := target.Client.(*Client)
		if !ok {
			return fmt.Errorf("table %s: got client %T, want *gcp.Client", t.Name, target.Client)
		}
		return fetch(ctx, c, emit)
	}
	tables.Register(t)
}
