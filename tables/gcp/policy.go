package gcp

import (
	"context"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/tables"
)

// projectAssetPrefix starts the full resource name of a project.
const projectAssetPrefix = "//cloudresourcemanager.googleapis.com/projects/"

// policyHolder is an asset whose policies a policy table turns into rows,
// with the resource the rows are about. For an inherited policy, resource
// is the project and attachedTo the folder or organization.
type policyHolder struct {
	asset      *gcpasset.Asset
	resource   string
	inherited  bool
	attachedTo string
}

// listPolicies lists the assets of the project that hold policies of one
// content type, then the project's ancestors, and calls fn for each.
func listPolicies(ctx context.Context, c *Client, contentType string, fn func(policyHolder) error) error {
	projectName := ""
	err := c.Assets.ListAssets(ctx, ListRequest{ContentType: contentType}, func(a *gcpasset.Asset) error {
		if a.AssetType == gcpasset.TypeProject {
			projectName = a.Name
		}
		return fn(policyHolder{asset: a, resource: a.Name, attachedTo: a.Name})
	})
	if err != nil {
		return fmt.Errorf("list the %s assets of project %s: %w", strings.ToLower(contentType), c.ProjectID, err)
	}
	if c.Ancestors == nil {
		return nil
	}
	ancestors, err := c.Ancestors(ctx)
	if err != nil {
		return fmt.Errorf("read the policies that project %s inherits: %w", c.ProjectID, err)
	}
	if projectName == "" {
		// NOTE: without the project's own policy in the listing, inherited
		// rows name the project by id, while Cloud Asset Inventory names
		// projects by number.
		projectName = projectAssetPrefix + c.ProjectID
	}
	for _, a := range ancestors {
		if err := fn(policyHolder{asset: a, resource: projectName, inherited: true, attachedTo: a.Name}); err != nil {
			return err
		}
	}
	return nil
}

// resourceType returns the asset type of a policy row's resource.
func (h policyHolder) resourceType() string {
	if h.inherited {
		return gcpasset.TypeProject
	}
	return h.asset.AssetType
}

// baseRecord starts a policy row with the columns every policy table has.
func (h policyHolder) baseRecord() tables.Record {
	region := policyLocation(h.asset.Name)
	if h.inherited {
		region = tables.GlobalRegion
	}
	return tables.Record{
		tables.ColRegion: region,
		"resource":       h.resource,
		"resource_type":  h.resourceType(),
		"inherited":      h.inherited,
		"attached_to":    h.attachedTo,
	}
}

// rowKey joins the parts that identify a policy row.
func rowKey(parts ...string) string { return strings.Join(parts, "|") }
