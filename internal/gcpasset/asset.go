// Package gcpasset is the Cloud Asset Inventory asset record as stance
// reads it: one type for what the ListAssets API returns, what
// `gcloud asset export` writes and what `gcloud asset list --format=json`
// prints. Live sync turns the API's protobuf into the same JSON that the
// files hold and decodes both with one decoder, so both paths build
// identical rows.
package gcpasset

import (
	"encoding/json"
	"time"
)

// Content types of the ListAssets API, as the API names them.
const (
	ContentResource  = "RESOURCE"
	ContentIAMPolicy = "IAM_POLICY"
	ContentOrgPolicy = "ORG_POLICY"
)

// Asset types that discovery and project resolution rely on.
const (
	TypeProject      = "cloudresourcemanager.googleapis.com/Project"
	TypeFolder       = "cloudresourcemanager.googleapis.com/Folder"
	TypeOrganization = "cloudresourcemanager.googleapis.com/Organization"
)

// Asset is one Cloud Asset Inventory asset. An asset read with one content
// type carries only that content: a RESOURCE listing fills Resource, an
// IAM_POLICY listing fills IAMPolicy. Export files may hold both.
type Asset struct {
	// Name is the full resource name, such as
	// //storage.googleapis.com/projects/_/buckets/logs.
	Name      string
	AssetType string
	// UpdateTime is the last change of the asset's content; zero when the
	// record has none.
	UpdateTime time.Time
	// Ancestors lists the resource hierarchy from the asset's project up to
	// the organization: projects/NUMBER, folders/ID, organizations/ID.
	Ancestors []string

	Resource    *Resource
	IAMPolicy   *Policy
	OrgPolicies []OrgPolicy
	// AccessContextKind is access_policy, access_level or
	// service_perimeter when the asset carries an Access Context Manager
	// object, which AccessContext then contains as JSON.
	AccessContextKind string
	AccessContext     json.RawMessage
}

// Resource is the resource content of an asset.
type Resource struct {
	Version              string
	DiscoveryDocumentURI string
	DiscoveryName        string
	// Parent is the full name of the parent resource, such as
	// //cloudresourcemanager.googleapis.com/projects/123.
	Parent string
	// Location is the location the API reports; empty in older exports.
	Location string
	// Data is the resource in the service's REST representation, with the
	// service's camelCase field names.
	Data json.RawMessage
}

// Policy is an IAM policy attached to a resource.
type Policy struct {
	Version      int64         `json:"version,omitempty"`
	Etag         string        `json:"etag,omitempty"`
	Bindings     []Binding     `json:"bindings,omitempty"`
	AuditConfigs []AuditConfig `json:"auditConfigs,omitempty"`
}

// Binding grants a role to members, optionally under a condition.
type Binding struct {
	Role      string   `json:"role"`
	Members   []string `json:"members"`
	Condition *Expr    `json:"condition,omitempty"`
}

// Expr is a Common Expression Language condition of a binding.
type Expr struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression"`
	Location    string `json:"location,omitempty"`
}

// AuditConfig enables Data Access audit logs for one service, or for every
// service when Service is "allServices".
type AuditConfig struct {
	Service         string           `json:"service"`
	AuditLogConfigs []AuditLogConfig `json:"auditLogConfigs,omitempty"`
}

// AuditLogConfig is one log type of an AuditConfig.
type AuditLogConfig struct {
	// LogType is ADMIN_READ, DATA_WRITE, DATA_READ or
	// LOG_TYPE_UNSPECIFIED. Exports that write the enum as a number are
	// read into these names.
	LogType         string   `json:"logType"`
	ExemptedMembers []string `json:"exemptedMembers,omitempty"`
}

// OrgPolicy is an organization policy (v1, the form Cloud Asset Inventory
// returns) set on a resource for one constraint.
type OrgPolicy struct {
	Constraint string    `json:"constraint"`
	Version    int64     `json:"version,omitempty"`
	Etag       string    `json:"etag,omitempty"`
	UpdateTime time.Time `json:"updateTime,omitzero"`
	// BooleanEnforced is set for a boolean constraint.
	BooleanEnforced *bool       `json:"booleanEnforced,omitempty"`
	ListPolicy      *ListPolicy `json:"listPolicy,omitempty"`
	// RestoreDefault is true when the policy restores the constraint's
	// default behaviour.
	RestoreDefault bool `json:"restoreDefault,omitempty"`
}

// ListPolicy is the rule of a list constraint.
type ListPolicy struct {
	AllowedValues []string `json:"allowedValues,omitempty"`
	DeniedValues  []string `json:"deniedValues,omitempty"`
	// AllValues is ALLOW, DENY or ALL_VALUES_UNSPECIFIED.
	AllValues         string `json:"allValues,omitempty"`
	SuggestedValue    string `json:"suggestedValue,omitempty"`
	InheritFromParent bool   `json:"inheritFromParent,omitempty"`
}
