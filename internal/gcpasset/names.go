package gcpasset

import (
	"encoding/json"
	"strings"
)

// ProjectRef returns the id and number of the project that contains the
// asset, as far as its record shows them. The id comes from a
// "projects/ID/" segment of its name, the number from its ancestors, its
// parent or a numeric "projects/N" segment. Either may be empty. Asset names use ids for most
// services and numbers for some, while ancestors and parents always use
// numbers, so callers map numbers to ids where they know both.
func ProjectRef(a *Asset) (id, number string) {
	if seg := nameSegment(a.Name, "projects"); seg != "" && seg != "_" {
		if isNumber(seg) {
			number = seg
		} else {
			id = seg
		}
	}
	if a.AssetType == TypeProject && a.Resource != nil && len(a.Resource.Data) > 0 {
		var p struct {
			ProjectID     string      `json:"projectId"`
			ProjectNumber json.Number `json:"projectNumber"`
		}
		if json.Unmarshal(a.Resource.Data, &p) == nil {
			if p.ProjectID != "" {
				id = p.ProjectID
			}
			if p.ProjectNumber != "" {
				number = p.ProjectNumber.String()
			}
		}
	}
	if number == "" {
		for _, anc := range a.Ancestors {
			if n, ok := strings.CutPrefix(anc, "projects/"); ok {
				number = n
				break
			}
		}
	}
	if number == "" && a.Resource != nil {
		if seg := nameSegment(a.Resource.Parent, "projects"); isNumber(seg) {
			number = seg
		}
	}
	return id, number
}

// Container returns the folder or organization that holds an asset outside
// any project, as "folders/ID" or "organizations/ID": the asset itself for
// a folder or an organization, else its first ancestor. It returns "" when
// the record names none.
func Container(a *Asset) string {
	for _, kind := range []string{"folders", "organizations"} {
		if seg := nameSegment(a.Name, kind); seg != "" && strings.HasPrefix(a.Name, "//cloudresourcemanager.googleapis.com/") {
			return kind + "/" + seg
		}
	}
	for _, anc := range a.Ancestors {
		if strings.HasPrefix(anc, "folders/") || strings.HasPrefix(anc, "organizations/") {
			return anc
		}
	}
	if a.Resource != nil {
		for _, kind := range []string{"folders", "organizations"} {
			if seg := nameSegment(a.Resource.Parent, kind); seg != "" {
				return kind + "/" + seg
			}
		}
	}
	return ""
}

// nameSegment returns the path segment after "/kind/" in a resource name,
// or "" when there is none.
func nameSegment(name, kind string) string {
	_, rest, ok := strings.Cut(name, "/"+kind+"/")
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	return seg
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
