package gcpasset

import (
	"strings"
	"testing"
	"time"
)

func decodeAll(t *testing.T, input string) ([]*Asset, Decoded, error) {
	t.Helper()
	var got []*Asset
	dec, err := Decode(strings.NewReader(input), func(a *Asset) error {
		got = append(got, a)
		return nil
	})
	return got, dec, err
}

func TestDecodeForms(t *testing.T) {
	const snake = `{"name":"//storage.googleapis.com/projects/_/buckets/a","asset_type":"storage.googleapis.com/Bucket","resource":{"version":"v1","parent":"//cloudresourcemanager.googleapis.com/projects/12","data":{"name":"a"}}}`
	const camel = `{"name":"//storage.googleapis.com/projects/_/buckets/b","assetType":"storage.googleapis.com/Bucket","updateTime":"2026-01-02T03:04:05Z","resource":{"discoveryName":"Bucket","data":{"name":"b"}}}`
	tests := []struct {
		name  string
		input string
		names []string
	}{
		{"newline-delimited export", snake + "\n" + camel + "\n", []string{"a", "b"}},
		{"gcloud list array", "[\n" + snake + ",\n" + camel + "\n]\n", []string{"a", "b"}},
		{"single asset", "  " + camel, []string{"b"}},
		{"ListAssets response", `{"assets":[` + snake + `,` + camel + `],"nextPageToken":""}`, []string{"a", "b"}},
		{"concatenated values", "[" + snake + "]" + camel, []string{"a", "b"}},
		{"empty file", "", nil},
		{"empty array", "[]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dec, err := decodeAll(t, tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if dec.Assets != len(tt.names) {
				t.Errorf("Decoded.Assets = %d, want %d", dec.Assets, len(tt.names))
			}
			if len(got) != len(tt.names) {
				t.Fatalf("got %d assets, want %d", len(got), len(tt.names))
			}
			for i, a := range got {
				if want := "//storage.googleapis.com/projects/_/buckets/" + tt.names[i]; a.Name != want {
					t.Errorf("asset %d name = %q, want %q", i, a.Name, want)
				}
				if a.AssetType != "storage.googleapis.com/Bucket" {
					t.Errorf("asset %d type = %q", i, a.AssetType)
				}
				if a.Resource == nil || !strings.Contains(string(a.Resource.Data), tt.names[i]) {
					t.Errorf("asset %d resource data missing: %+v", i, a.Resource)
				}
			}
		})
	}
}

func TestDecodeCamelFields(t *testing.T) {
	got, _, err := decodeAll(t, `{"name":"//x/y","assetType":"t","updateTime":"2026-01-02T03:04:05.5Z","resource":{"discoveryName":"Y","discoveryDocumentUri":"https://d","location":"eu"}}`)
	if err != nil {
		t.Fatal(err)
	}
	a := got[0]
	if want := time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC); !a.UpdateTime.Equal(want) {
		t.Errorf("update time = %v, want %v", a.UpdateTime, want)
	}
	if a.Resource.DiscoveryName != "Y" || a.Resource.DiscoveryDocumentURI != "https://d" || a.Resource.Location != "eu" {
		t.Errorf("resource = %+v", a.Resource)
	}
}

func TestDecodeIAMPolicyForms(t *testing.T) {
	// Exports may write enums as numbers and the policy version as a
	// string; the API writes names.
	inputs := map[string]string{
		"snake with numbers": `{"name":"//p","asset_type":"t","iam_policy":{"version":"3","etag":"BwU=","bindings":[{"role":"roles/viewer","members":["allUsers"],"condition":{"title":"t1","expression":"e1"}}],"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":3,"exempted_members":["user:a@example.com"]}]}]}}`,
		"camel with names":   `{"name":"//p","assetType":"t","iamPolicy":{"version":3,"etag":"BwU=","bindings":[{"role":"roles/viewer","members":["allUsers"],"condition":{"title":"t1","expression":"e1"}}],"auditConfigs":[{"service":"allServices","auditLogConfigs":[{"logType":"DATA_READ","exemptedMembers":["user:a@example.com"]}]}]}}`,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			got, _, err := decodeAll(t, input)
			if err != nil {
				t.Fatal(err)
			}
			p := got[0].IAMPolicy
			if p == nil {
				t.Fatal("no IAM policy")
			}
			if p.Version != 3 {
				t.Errorf("version = %d, want 3", p.Version)
			}
			if len(p.Bindings) != 1 || p.Bindings[0].Condition == nil || p.Bindings[0].Condition.Expression != "e1" {
				t.Errorf("bindings = %+v", p.Bindings)
			}
			if len(p.AuditConfigs) != 1 || len(p.AuditConfigs[0].AuditLogConfigs) != 1 {
				t.Fatalf("audit configs = %+v", p.AuditConfigs)
			}
			if lc := p.AuditConfigs[0].AuditLogConfigs[0]; lc.LogType != "DATA_READ" || len(lc.ExemptedMembers) != 1 {
				t.Errorf("audit log config = %+v, want DATA_READ with one exempted member", lc)
			}
		})
	}
}

func TestDecodeOrgPolicy(t *testing.T) {
	got, _, err := decodeAll(t, `{"name":"//o","asset_type":"t","org_policy":[{"constraint":"constraints/a","boolean_policy":{"enforced":true}},{"constraint":"constraints/b","list_policy":{"all_values":2,"inherit_from_parent":true}},{"constraint":"constraints/c","restore_default":{}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	ps := got[0].OrgPolicies
	if len(ps) != 3 {
		t.Fatalf("got %d policies, want 3", len(ps))
	}
	if ps[0].BooleanEnforced == nil || !*ps[0].BooleanEnforced {
		t.Errorf("boolean policy = %+v", ps[0])
	}
	if ps[1].ListPolicy == nil || ps[1].ListPolicy.AllValues != "DENY" || !ps[1].ListPolicy.InheritFromParent {
		t.Errorf("list policy = %+v", ps[1].ListPolicy)
	}
	if !ps[2].RestoreDefault {
		t.Errorf("restore default = %+v", ps[2])
	}
}

func TestDecodeStrayClosingBracket(t *testing.T) {
	got, dec, err := decodeAll(t, `[{"name":"//a","asset_type":"t"}]`+"\n\n]\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("got %d assets, want 1", len(got))
	}
	if len(dec.Warnings) != 1 || !strings.Contains(dec.Warnings[0], "stray") {
		t.Errorf("warnings = %q, want one about the stray bracket", dec.Warnings)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"truncated array", `[{"name":"//a","asset_type":"t"},{"name":`, "invalid JSON"},
		{"missing asset type", `{"name":"//a"}`, "name and asset_type are required"},
		{"number at top level", `42`, "want an asset object"},
		{"garbage after assets", `{"name":"//a","asset_type":"t"} nonsense`, "invalid JSON at byte"},
		{"data not an object", `{"name":"//a","asset_type":"t","resource":{"data":[1]}}`, "resource.data"},
		{"bad timestamp", `{"name":"//a","asset_type":"t","update_time":"yesterday"}`, "invalid timestamp"},
		{"bad enum", `{"name":"//a","asset_type":"t","iam_policy":{"audit_configs":[{"audit_log_configs":[{"log_type":9}]}]}}`, "unknown enum number 9"},
		{"stray bracket before any asset", `]`, "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeAll(t, tt.input)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	enforced := true
	in := &Asset{
		Name: "//cloudresourcemanager.googleapis.com/organizations/1", AssetType: TypeOrganization,
		UpdateTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Ancestors: []string{"organizations/1"},
		Resource:          &Resource{Version: "v1", Parent: "", Location: "global", Data: []byte(`{"displayName":"x"}`)},
		IAMPolicy:         &Policy{Version: 1, Etag: "BwU=", Bindings: []Binding{{Role: "roles/owner", Members: []string{"user:a@example.com"}, Condition: &Expr{Title: "t", Expression: "e"}}}, AuditConfigs: []AuditConfig{{Service: "allServices", AuditLogConfigs: []AuditLogConfig{{LogType: "ADMIN_READ"}}}}},
		OrgPolicies:       []OrgPolicy{{Constraint: "constraints/a", BooleanEnforced: &enforced}, {Constraint: "constraints/b", ListPolicy: &ListPolicy{DeniedValues: []string{"x"}}}},
		AccessContextKind: "access_level", AccessContext: []byte(`{"name":"accessPolicies/1/accessLevels/a"}`),
	}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(b) {
		t.Errorf("round trip changed the asset:\nfirst:  %s\nsecond: %s", b, again)
	}
	if !strings.Contains(string(b), `"asset_type"`) || !strings.Contains(string(b), `"audit_log_configs"`) {
		t.Errorf("Marshal wrote %s, want the snake_case export form", b)
	}
}

func TestProjectRef(t *testing.T) {
	tests := []struct {
		name       string
		asset      Asset
		id, number string
	}{
		{"id in name, number in ancestors", Asset{Name: "//compute.googleapis.com/projects/web/zones/z/instances/i", Ancestors: []string{"projects/12", "organizations/1"}}, "web", "12"},
		{"bucket with parent", Asset{Name: "//storage.googleapis.com/projects/_/buckets/b", Resource: &Resource{Parent: "//cloudresourcemanager.googleapis.com/projects/34"}}, "", "34"},
		{"project asset data", Asset{Name: "//cloudresourcemanager.googleapis.com/projects/56", AssetType: TypeProject, Resource: &Resource{Data: []byte(`{"projectId":"shop","projectNumber":"56"}`)}}, "shop", "56"},
		{"nothing", Asset{Name: "//storage.googleapis.com/b"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, number := ProjectRef(&tt.asset)
			if id != tt.id || number != tt.number {
				t.Errorf("ProjectRef = %q, %q, want %q, %q", id, number, tt.id, tt.number)
			}
		})
	}
}

func TestContainer(t *testing.T) {
	if got := Container(&Asset{Name: "//cloudresourcemanager.googleapis.com/folders/7"}); got != "folders/7" {
		t.Errorf("folder asset = %q", got)
	}
	if got := Container(&Asset{Name: "//logging.googleapis.com/organizations/1/sinks/s", Ancestors: []string{"organizations/1"}}); got != "organizations/1" {
		t.Errorf("organization sink = %q", got)
	}
	if got := Container(&Asset{Name: "//x/y"}); got != "" {
		t.Errorf("asset without hierarchy = %q, want empty", got)
	}
}
