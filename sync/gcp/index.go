package gcp

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
	gcptables "github.com/stance-cspm/stance/tables/gcp"
)

// unassigned is the account_id of assets whose record names no project,
// folder or organization.
const unassigned = "unassigned"

// index contains the assets of import files grouped by project, folder or
// organization, the account_id of their rows.
type index struct {
	byScope map[string][]*gcpasset.Asset
	// byName finds folders and organizations, whose policies their
	// projects inherit.
	byName map[string][]*gcpasset.Asset
	// ancestors maps a project to its folders and organization, nearest
	// first, as projects/NUMBER, folders/ID and organizations/ID.
	ancestors map[string][]string
}

// buildIndex assigns each asset to a scope. Asset names carry project ids
// for most services and numbers for the rest. So it first learns which
// number belongs to which id from records that contain both, such as a
// Project asset, or a VM with the id in its name and the number in its
// ancestors.
func buildIndex(assets []*gcpasset.Asset) *index {
	idOf := map[string]string{}
	type ref struct{ id, number string }
	refs := make([]ref, len(assets))
	for i, a := range assets {
		id, number := gcpasset.ProjectRef(a)
		refs[i] = ref{id, number}
		if id != "" && number != "" {
			idOf[number] = id
		}
	}
	ix := &index{byScope: map[string][]*gcpasset.Asset{}, byName: map[string][]*gcpasset.Asset{}, ancestors: map[string][]string{}}
	for i, a := range assets {
		scope := refs[i].id
		if scope == "" && refs[i].number != "" {
			scope = refs[i].number
			if id, ok := idOf[scope]; ok {
				scope = id
			}
		}
		if scope == "" {
			scope = gcpasset.Container(a)
		}
		if scope == "" {
			scope = unassigned
		}
		ix.byScope[scope] = append(ix.byScope[scope], a)
		if a.AssetType == gcpasset.TypeFolder || a.AssetType == gcpasset.TypeOrganization {
			ix.byName[a.Name] = append(ix.byName[a.Name], a)
		}
		if _, known := ix.ancestors[scope]; !known && len(a.Ancestors) > 1 && strings.HasPrefix(a.Ancestors[0], "projects/") {
			ix.ancestors[scope] = a.Ancestors[1:]
		}
	}
	return ix
}

// scopes returns the scope names in sorted order.
func (ix *index) scopes() []string {
	out := make([]string, 0, len(ix.byScope))
	for s := range ix.byScope {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// lister serves one scope's assets to the tables.
type lister struct {
	assets []*gcpasset.Asset
}

// ListAssets returns the scope's assets that have the requested content
// and type, in file order.
func (l lister) ListAssets(ctx context.Context, req gcptables.ListRequest, fn func(*gcpasset.Asset) error) error {
	for _, a := range l.assets {
		if !hasContent(a, req.ContentType) {
			continue
		}
		if len(req.AssetTypes) > 0 && !slices.Contains(req.AssetTypes, a.AssetType) {
			continue
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func hasContent(a *gcpasset.Asset, contentType string) bool {
	switch contentType {
	case gcpasset.ContentIAMPolicy:
		return a.IAMPolicy != nil
	case gcpasset.ContentOrgPolicy:
		return len(a.OrgPolicies) > 0
	default:
		return a.Resource != nil || a.AccessContextKind != ""
	}
}

// ancestorAssets returns the folders and organization of a project that
// carry policies, nearest first.
func (ix *index) ancestorAssets(scope string) []*gcpasset.Asset {
	var out []*gcpasset.Asset
	for _, anc := range ix.ancestors[scope] {
		for _, a := range ix.byName["//cloudresourcemanager.googleapis.com/"+anc] {
			if a.IAMPolicy != nil || len(a.OrgPolicies) > 0 {
				out = append(out, a)
			}
		}
	}
	return out
}

func jsonUnmarshal(data []byte, v any) error {
	if len(data) == 0 {
		return nil
	}
	return json.Unmarshal(data, v)
}
