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
	spool   *spool
	byScope map[string][]assetRef
	// byName finds folders and organizations, whose policies their
	// projects inherit. They are few, so they stay in memory.
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
func buildIndex(sp *spool, refs []assetRef, byName map[string][]*gcpasset.Asset) *index {
	idOf := map[string]string{}
	for _, r := range refs {
		if r.id != "" && r.number != "" {
			idOf[r.number] = r.id
		}
	}
	ix := &index{spool: sp, byScope: map[string][]assetRef{}, byName: byName, ancestors: map[string][]string{}}
	for _, r := range refs {
		scope := r.id
		if scope == "" && r.number != "" {
			scope = r.number
			if id, ok := idOf[scope]; ok {
				scope = id
			}
		}
		if scope == "" {
			scope = r.container
		}
		if scope == "" {
			scope = unassigned
		}
		ix.byScope[scope] = append(ix.byScope[scope], r)
		if _, known := ix.ancestors[scope]; !known && len(r.ancestors) > 1 && strings.HasPrefix(r.ancestors[0], "projects/") {
			ix.ancestors[scope] = r.ancestors[1:]
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
	spool *spool
	refs  []assetRef
}

// ListAssets returns the scope's assets that have the requested content
// and type, in file order.
func (l lister) ListAssets(ctx context.Context, req gcptables.ListRequest, fn func(*gcpasset.Asset) error) error {
	want := uint8(hasResource)
	switch req.ContentType {
	case gcpasset.ContentIAMPolicy:
		want = hasIAMPolicy
	case gcpasset.ContentOrgPolicy:
		want = hasOrgPolicy
	}
	for _, r := range l.refs {
		if r.content&want == 0 {
			continue
		}
		if len(req.AssetTypes) > 0 && !slices.Contains(req.AssetTypes, r.assetType) {
			continue
		}
		a, err := l.spool.read(r)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
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
