package gcpasset

import (
	"encoding/json"
	"time"
)

// The export* types are the snake_case form that `gcloud asset export`
// writes, one asset per line.
type exportAsset struct {
	Name        string            `json:"name"`
	AssetType   string            `json:"asset_type"`
	UpdateTime  string            `json:"update_time,omitempty"`
	Ancestors   []string          `json:"ancestors,omitempty"`
	Resource    *exportResource   `json:"resource,omitempty"`
	IAMPolicy   *exportPolicy     `json:"iam_policy,omitempty"`
	OrgPolicies []exportOrgPolicy `json:"org_policy,omitempty"`

	AccessPolicy     json.RawMessage `json:"access_policy,omitempty"`
	AccessLevel      json.RawMessage `json:"access_level,omitempty"`
	ServicePerimeter json.RawMessage `json:"service_perimeter,omitempty"`
}

type exportResource struct {
	Version              string          `json:"version,omitempty"`
	DiscoveryDocumentURI string          `json:"discovery_document_uri,omitempty"`
	DiscoveryName        string          `json:"discovery_name,omitempty"`
	Parent               string          `json:"parent,omitempty"`
	Location             string          `json:"location,omitempty"`
	Data                 json.RawMessage `json:"data,omitempty"`
}

type exportPolicy struct {
	Version      int64               `json:"version,omitempty"`
	Etag         string              `json:"etag,omitempty"`
	Bindings     []exportBinding     `json:"bindings,omitempty"`
	AuditConfigs []exportAuditConfig `json:"audit_configs,omitempty"`
}

type exportBinding struct {
	Role      string   `json:"role"`
	Members   []string `json:"members"`
	Condition *Expr    `json:"condition,omitempty"`
}

type exportAuditConfig struct {
	Service         string           `json:"service"`
	AuditLogConfigs []exportLogEntry `json:"audit_log_configs,omitempty"`
}

type exportLogEntry struct {
	LogType         string   `json:"log_type"`
	ExemptedMembers []string `json:"exempted_members,omitempty"`
}

type exportOrgPolicy struct {
	Constraint     string         `json:"constraint"`
	Version        int64          `json:"version,omitempty"`
	Etag           string         `json:"etag,omitempty"`
	UpdateTime     string         `json:"update_time,omitempty"`
	BooleanPolicy  *exportBoolean `json:"boolean_policy,omitempty"`
	ListPolicy     *exportList    `json:"list_policy,omitempty"`
	RestoreDefault *struct{}      `json:"restore_default,omitempty"`
}

type exportBoolean struct {
	Enforced bool `json:"enforced"`
}

type exportList struct {
	AllowedValues     []string `json:"allowed_values,omitempty"`
	DeniedValues      []string `json:"denied_values,omitempty"`
	AllValues         string   `json:"all_values,omitempty"`
	SuggestedValue    string   `json:"suggested_value,omitempty"`
	InheritFromParent bool     `json:"inherit_from_parent,omitempty"`
}

// Marshal encodes an asset as one line of a `gcloud asset export` file.
func Marshal(a *Asset) ([]byte, error) {
	out := exportAsset{Name: a.Name, AssetType: a.AssetType, Ancestors: a.Ancestors, UpdateTime: timeText(a.UpdateTime)}
	if r := a.Resource; r != nil {
		out.Resource = &exportResource{Version: r.Version, DiscoveryDocumentURI: r.DiscoveryDocumentURI,
			DiscoveryName: r.DiscoveryName, Parent: r.Parent, Location: r.Location, Data: r.Data}
	}
	if p := a.IAMPolicy; p != nil {
		ep := &exportPolicy{Version: p.Version, Etag: p.Etag}
		for _, b := range p.Bindings {
			ep.Bindings = append(ep.Bindings, exportBinding(b))
		}
		for _, ac := range p.AuditConfigs {
			eac := exportAuditConfig{Service: ac.Service}
			for _, l := range ac.AuditLogConfigs {
				eac.AuditLogConfigs = append(eac.AuditLogConfigs, exportLogEntry(l))
			}
			ep.AuditConfigs = append(ep.AuditConfigs, eac)
		}
		out.IAMPolicy = ep
	}
	for _, p := range a.OrgPolicies {
		ep := exportOrgPolicy{Constraint: p.Constraint, Version: p.Version, Etag: p.Etag, UpdateTime: timeText(p.UpdateTime)}
		if p.BooleanEnforced != nil {
			ep.BooleanPolicy = &exportBoolean{Enforced: *p.BooleanEnforced}
		}
		if l := p.ListPolicy; l != nil {
			ep.ListPolicy = &exportList{AllowedValues: l.AllowedValues, DeniedValues: l.DeniedValues,
				AllValues: l.AllValues, SuggestedValue: l.SuggestedValue, InheritFromParent: l.InheritFromParent}
		}
		if p.RestoreDefault {
			ep.RestoreDefault = &struct{}{}
		}
		out.OrgPolicies = append(out.OrgPolicies, ep)
	}
	switch a.AccessContextKind {
	case "access_policy":
		out.AccessPolicy = a.AccessContext
	case "access_level":
		out.AccessLevel = a.AccessContext
	case "service_perimeter":
		out.ServicePerimeter = a.AccessContext
	}
	return json.Marshal(out)
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
