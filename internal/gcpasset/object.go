package gcpasset

import (
	"encoding/json"
	"fmt"
)

// logTypeNames are the names of the AuditLogConfig.LogType enum values in
// google/iam/v1/policy.proto, which some exports write as numbers.
var logTypeNames = map[int64]string{0: "LOG_TYPE_UNSPECIFIED", 1: "ADMIN_READ", 2: "DATA_WRITE", 3: "DATA_READ"}

// allValuesNames are the names of ListPolicy.AllValues in
// google/cloud/orgpolicy/v1/orgpolicy.proto.
var allValuesNames = map[int64]string{0: "ALL_VALUES_UNSPECIFIED", 1: "ALLOW", 2: "DENY"}

// accessContextKinds are the members of the Asset.access_context_policy
// oneof.
var accessContextKinds = []string{"access_policy", "access_level", "service_perimeter"}

func assetFromObject(o object) (*Asset, error) {
	var a Asset
	var err error
	if a.Name, err = o.str("name"); err != nil {
		return nil, err
	}
	if a.AssetType, err = o.str("asset_type"); err != nil {
		return nil, err
	}
	if a.Name == "" || a.AssetType == "" {
		return nil, fmt.Errorf("asset %q of type %q: name and asset_type are required", a.Name, a.AssetType)
	}

	wrap := func(err error) error { return fmt.Errorf("asset %s: %w", a.Name, err) }
	if a.UpdateTime, err = o.timeField("update_time"); err != nil {
		return nil, wrap(err)
	}
	if a.Ancestors, err = o.strings("ancestors"); err != nil {
		return nil, wrap(err)
	}

	res, err := o.child("resource")
	if err != nil {
		return nil, wrap(err)
	}
	if res != nil {
		if a.Resource, err = resourceFromObject(res); err != nil {
			return nil, wrap(err)
		}
	}

	pol, err := o.child("iam_policy")
	if err != nil {
		return nil, wrap(err)
	}
	if pol != nil {
		if a.IAMPolicy, err = policyFromObject(pol); err != nil {
			return nil, wrap(fmt.Errorf("iam_policy: %w", err))
		}
	}

	orgs, err := o.children("org_policy")
	if err != nil {
		return nil, wrap(err)
	}
	for i, op := range orgs {
		p, err := orgPolicyFromObject(op)
		if err != nil {
			return nil, wrap(fmt.Errorf("org_policy[%d]: %w", i, err))
		}
		a.OrgPolicies = append(a.OrgPolicies, p)
	}
	for _, kind := range accessContextKinds {
		if v := o.raw(kind); v != nil {
			a.AccessContextKind, a.AccessContext = kind, v
		}
	}
	return &a, nil
}

func resourceFromObject(o object) (*Resource, error) {
	var r Resource
	var err error
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"version", &r.Version},
		{"discovery_document_uri", &r.DiscoveryDocumentURI},
		{"discovery_name", &r.DiscoveryName},
		{"parent", &r.Parent},
		{"location", &r.Location},
	} {
		if *f.dst, err = o.str(f.name); err != nil {
			return nil, fmt.Errorf("resource: %w", err)
		}
	}
	if data := o.raw("data"); data != nil {
		if data[0] != '{' {
			return nil, fmt.Errorf("resource.data: got %.40s, want a JSON object", data)
		}
		r.Data = data
	}
	return &r, nil
}

func policyFromObject(o object) (*Policy, error) {
	var p Policy
	var err error
	if p.Version, err = o.int64Field("version"); err != nil {
		return nil, err
	}
	if p.Etag, err = o.str("etag"); err != nil {
		return nil, err
	}
	bindings, err := o.children("bindings")
	if err != nil {
		return nil, err
	}
	for i, b := range bindings {
		var out Binding
		if out.Role, err = b.str("role"); err != nil {
			return nil, fmt.Errorf("bindings[%d]: %w", i, err)
		}
		if out.Members, err = b.strings("members"); err != nil {
			return nil, fmt.Errorf("bindings[%d]: %w", i, err)
		}
		cond, err := b.child("condition")
		if err != nil {
			return nil, fmt.Errorf("bindings[%d]: %w", i, err)
		}
		if cond != nil {
			var e Expr
			for _, f := range []struct {
				name string
				dst  *string
			}{{"title", &e.Title}, {"description", &e.Description}, {"expression", &e.Expression}, {"location", &e.Location}} {
				if *f.dst, err = cond.str(f.name); err != nil {
					return nil, fmt.Errorf("bindings[%d].condition: %w", i, err)
				}
			}
			out.Condition = &e
		}
		p.Bindings = append(p.Bindings, out)
	}
	audits, err := o.children("audit_configs")
	if err != nil {
		return nil, err
	}
	for i, ac := range audits {
		var out AuditConfig
		if out.Service, err = ac.str("service"); err != nil {
			return nil, fmt.Errorf("audit_configs[%d]: %w", i, err)
		}
		logs, err := ac.children("audit_log_configs")
		if err != nil {
			return nil, fmt.Errorf("audit_configs[%d]: %w", i, err)
		}
		for j, lc := range logs {
			var l AuditLogConfig
			if l.LogType, err = lc.enum("log_type", logTypeNames); err != nil {
				return nil, fmt.Errorf("audit_configs[%d].audit_log_configs[%d]: %w", i, j, err)
			}
			if l.ExemptedMembers, err = lc.strings("exempted_members"); err != nil {
				return nil, fmt.Errorf("audit_configs[%d].audit_log_configs[%d]: %w", i, j, err)
			}
			out.AuditLogConfigs = append(out.AuditLogConfigs, l)
		}
		p.AuditConfigs = append(p.AuditConfigs, out)
	}
	return &p, nil
}

func orgPolicyFromObject(o object) (OrgPolicy, error) {
	var p OrgPolicy
	var err error
	if p.Constraint, err = o.str("constraint"); err != nil {
		return p, err
	}
	if p.Version, err = o.int64Field("version"); err != nil {
		return p, err
	}
	if p.Etag, err = o.str("etag"); err != nil {
		return p, err
	}
	if p.UpdateTime, err = o.timeField("update_time"); err != nil {
		return p, err
	}
	p.RestoreDefault = o.raw("restore_default") != nil

	boolean, err := o.child("boolean_policy")
	if err != nil {
		return p, err
	}
	if boolean != nil {
		enforced, err := boolean.boolField("enforced")
		if err != nil {
			return p, fmt.Errorf("boolean_policy: %w", err)
		}
		p.BooleanEnforced = &enforced
	}

	list, err := o.child("list_policy")
	if err != nil {
		return p, err
	}
	if list != nil {
		var l ListPolicy
		if l.AllowedValues, err = list.strings("allowed_values"); err != nil {
			return p, fmt.Errorf("list_policy: %w", err)
		}
		if l.DeniedValues, err = list.strings("denied_values"); err != nil {
			return p, fmt.Errorf("list_policy: %w", err)
		}
		if l.AllValues, err = list.enum("all_values", allValuesNames); err != nil {
			return p, fmt.Errorf("list_policy: %w", err)
		}
		if l.SuggestedValue, err = list.str("suggested_value"); err != nil {
			return p, fmt.Errorf("list_policy: %w", err)
		}
		if l.InheritFromParent, err = list.boolField("inherit_from_parent"); err != nil {
			return p, fmt.Errorf("list_policy: %w", err)
		}
		p.ListPolicy = &l
	}
	return p, nil
}

// enum reads a protobuf enum written either by name or by number.
func (o object) enum(name string, names map[int64]string) (string, error) {
	v := o.raw(name)
	if v == nil {
		return "", nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n int64
	if err := json.Unmarshal(v, &n); err != nil {
		return "", fmt.Errorf("field %s: want an enum name or number, got %s", name, v)
	}
	if s, ok := names[n]; ok {
		return s, nil
	}
	return "", fmt.Errorf("field %s: unknown enum number %d", name, n)
}
