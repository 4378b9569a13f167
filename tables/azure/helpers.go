package azure

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// resourceColumns are the leading columns of every table of ARM resources.
// Schema adds account_id (the subscription id) and region (the resource's
// location) before them, and tags and raw after the table's own columns.
func resourceColumns(what string) []store.Column {
	return []store.Column{
		{Name: "id", Type: store.TypeText, Description: "ARM resource id of the " + what + " in lower case, the key of the row; join other tables on it."},
		{Name: "arm_id", Type: store.TypeText, Description: "ARM resource id of the " + what + " as the API returned it."},
		{Name: "name", Type: store.TypeText, Description: "Name of the " + what + "."},
		{Name: "resource_group", Type: store.TypeText, Description: "Resource group of the " + what + " in lower case, taken from its id."},
	}
}

// resourceRecord returns the columns of resourceColumns, region and tags
// for one ARM resource.
func resourceRecord(id, name, location *string, tags map[string]*string) tables.Record {
	arm := deref(id)
	return tables.Record{
		"id":             LowerID(arm),
		"arm_id":         textOrNil(arm),
		"name":           name,
		"resource_group": textOrNil(ResourceGroup(arm)),
		"region":         Region(deref(location)),
		"tags":           Tags(tags),
	}
}

// LowerID returns an ARM id in lower case, or nil for an empty id so that
// Table.Row rejects a resource without one.
func LowerID(id string) any {
	if id == "" {
		return nil
	}
	return strings.ToLower(id)
}

// LowerIDs lower-cases every id of a list and drops empty ones.
func LowerIDs(ids []*string) []string {
	out := []string{}
	for _, id := range ids {
		if s := deref(id); s != "" {
			out = append(out, strings.ToLower(s))
		}
	}
	return out
}

// ResourceGroup returns the resource group named in an ARM id in lower
// case, or "" when the id has none (subscription-level resources).
func ResourceGroup(id string) string {
	return strings.ToLower(idSegment(id, "resourcegroups"))
}

// idSegment returns the value that follows a key segment of an ARM id,
// compared case-insensitively: idSegment(id, "servers") is the server name.
func idSegment(id, key string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], key) {
			return parts[i+1]
		}
	}
	return ""
}

// parentID returns the id of the resource that contains a child resource:
// parentID(".../vaults/v1/keys/k1") is ".../vaults/v1".
func parentID(id string) string {
	parts := strings.Split(strings.TrimRight(id, "/"), "/")
	if len(parts) < 3 {
		return ""
	}
	return strings.Join(parts[:len(parts)-2], "/")
}

// Region normalises an Azure location to the form of the region column:
// lower case without spaces ("East US" becomes "eastus"), and "global"
// when the resource has no location.
func Region(location string) string {
	r := strings.ToLower(strings.ReplaceAll(location, " ", ""))
	if r == "" {
		return tables.GlobalRegion
	}
	return r
}

// Tags converts ARM tags, whose values the SDK types as pointers.
func Tags(in map[string]*string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = deref(v)
	}
	return out
}

// decode parses ARM JSON, such as a Resource Graph row or an API response
// body, into an SDK model type.
func decode[T any](raw json.RawMessage) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}

// stringList returns the non-empty values of a list of string pointers, never
// nil, so that an empty list is stored as [] and not as NULL.
func stringList(in []*string) []string {
	out := []string{}
	for _, s := range in {
		if v := deref(s); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nested returns v.f(), or nil when v is nil, for chains of optional
// SDK structs: nested(props, func(p *X) *Y { return p.Y }).
func nested[T, U any](v *T, f func(*T) *U) *U {
	if v == nil {
		return nil
	}
	return f(v)
}
