package gcp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/tables"
)

// fakeLister serves fixed assets, filtered like the real listers.
type fakeLister []*gcpasset.Asset

func (f fakeLister) ListAssets(_ context.Context, req ListRequest, fn func(*gcpasset.Asset) error) error {
	for _, a := range f {
		if len(req.AssetTypes) > 0 && !containsString(req.AssetTypes, a.AssetType) {
			continue
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fetchRows runs a table's fetch over one asset and returns its rows.
func fetchRows(t *testing.T, table string, assets ...*gcpasset.Asset) []tables.Record {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	var out []tables.Record
	target := tables.Target{Provider: Provider, AccountID: "p", Region: "global", Client: &Client{ProjectID: "p", Assets: fakeLister(assets)}}
	err := tbl.Fetch(context.Background(), target, func(r tables.Record) error {
		if _, err := tbl.Row(target, r); err != nil {
			t.Errorf("row of %s: %v", table, err)
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("fetch %s: %v", table, err)
	}
	return out
}

func resourceAsset(name, assetType, data string) *gcpasset.Asset {
	return &gcpasset.Asset{Name: name, AssetType: assetType, Resource: &gcpasset.Resource{Data: json.RawMessage(data)}}
}

func TestRowBuilders(t *testing.T) {
	tests := []struct {
		name   string
		table  string
		asset  *gcpasset.Asset
		column string
		want   any
	}{
		{"older bucketPolicyOnly", "gcp_storage_bucket",
			resourceAsset("//storage.googleapis.com/b", "storage.googleapis.com/Bucket", `{"iamConfiguration":{"bucketPolicyOnly":{"enabled":true}}}`),
			"uniform_bucket_level_access_enabled", true},
		{"absent boolean is false", "gcp_storage_bucket",
			resourceAsset("//storage.googleapis.com/b", "storage.googleapis.com/Bucket", `{}`),
			"versioning_enabled", false},
		{"int64 as string", "gcp_storage_bucket",
			resourceAsset("//storage.googleapis.com/b", "storage.googleapis.com/Bucket", `{"retentionPolicy":{"retentionPeriod":"86400"}}`),
			"retention_period", int64(86400)},
		{"bucket location lowercased", "gcp_storage_bucket",
			resourceAsset("//storage.googleapis.com/b", "storage.googleapis.com/Bucket", `{"location":"US-CENTRAL1"}`),
			tables.ColRegion, "us-central1"},
		{"zone from name", "gcp_compute_instance",
			resourceAsset("//compute.googleapis.com/projects/p/zones/us-east1-c/instances/i", "compute.googleapis.com/Instance", `{}`),
			tables.ColRegion, "us-east1-c"},
		{"older singular access config", "gcp_compute_instance",
			resourceAsset("//compute.googleapis.com/projects/p/zones/z/instances/i", "compute.googleapis.com/Instance", `{"networkInterface":[{"accessConfig":[{"type":"ONE_TO_ONE_NAT"}]}]}`),
			"has_external_ip", true},
		{"no access config", "gcp_compute_instance",
			resourceAsset("//compute.googleapis.com/projects/p/zones/z/instances/i", "compute.googleapis.com/Instance", `{"networkInterfaces":[{"network":"n"}]}`),
			"has_external_ip", false},
		{"older singular service account scopes", "gcp_compute_instance",
			resourceAsset("//compute.googleapis.com/projects/p/zones/z/instances/i", "compute.googleapis.com/Instance", `{"serviceAccount":[{"email":"a@x","scope":["s2","s1"]}]}`),
			"service_account_scopes", []string{"s1", "s2"}},
		{"older singular firewall ranges", "gcp_compute_firewall",
			resourceAsset("//compute.googleapis.com/projects/p/global/firewalls/f", "compute.googleapis.com/Firewall", `{"sourceRange":["0.0.0.0/0"],"targetTag":["web"]}`),
			"source_ranges", []string{"0.0.0.0/0"}},
		{"v1 project parent", "gcp_resourcemanager_project",
			resourceAsset("//cloudresourcemanager.googleapis.com/projects/1", gcpasset.TypeProject, `{"parent":{"type":"organization","id":"42"}}`),
			"parent", "organizations/42"},
		{"v3 project parent", "gcp_resourcemanager_project",
			resourceAsset("//cloudresourcemanager.googleapis.com/projects/1", gcpasset.TypeProject, `{"parent":"folders/7","displayName":"Shop"}`),
			"parent", "folders/7"},
		{"BigQuery epoch milliseconds", "gcp_bigquery_dataset",
			resourceAsset("//bigquery.googleapis.com/projects/p/datasets/d", "bigquery.googleapis.com/Dataset", `{"creationTime":"1559849431000"}`),
			"creation_time", "2019-06-06T19:30:31Z"},
		{"rotation period seconds", "gcp_kms_crypto_key",
			resourceAsset("//cloudkms.googleapis.com/projects/p/locations/l/keyRings/r/cryptoKeys/k", "cloudkms.googleapis.com/CryptoKey", `{"name":"projects/p/locations/l/keyRings/r/cryptoKeys/k","rotationPeriod":"7776000.5s"}`),
			"rotation_period_seconds", int64(7776000)},
		{"key email from name", "gcp_iam_service_account_key",
			resourceAsset("//iam.googleapis.com/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/k1", "iam.googleapis.com/ServiceAccountKey", `{}`),
			"service_account_email", "a@p.iam.gserviceaccount.com"},
		{"alert policy enabled absent", "gcp_monitoring_alert_policy",
			resourceAsset("//monitoring.googleapis.com/projects/p/alertPolicies/1", "monitoring.googleapis.com/AlertPolicy", `{}`),
			"enabled", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := fetchRows(t, tt.table, tt.asset)
			if len(rows) != 1 {
				t.Fatalf("got %d rows, want 1", len(rows))
			}
			got := rows[0][tt.column]
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tt.want)
			if tt.column == "creation_time" {
				converted, err := tables.Convert("TIMESTAMPTZ", got)
				if err != nil {
					t.Fatal(err)
				}
				gotJSON, _ = json.Marshal(converted)
				wantJSON = []byte(`"` + tt.want.(string) + `"`)
			}
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("%s = %s, want %s", tt.column, gotJSON, wantJSON)
			}
		})
	}
}

func TestRowBuildersRedactSecrets(t *testing.T) {
	rows := fetchRows(t, "gcp_container_cluster", resourceAsset("//container.googleapis.com/projects/p/locations/l/clusters/c",
		"container.googleapis.com/Cluster", `{"masterAuth":{"username":"admin","password":"hunter2","clientKey":"LS0tLS1CRUdJTg=="}}`))
	raw := string(rows[0][tables.ColRaw].(json.RawMessage))
	if strings.Contains(raw, "hunter2") || strings.Contains(raw, "LS0tLS1CRUdJTg") {
		t.Errorf("raw keeps a secret: %s", raw)
	}
	if !strings.Contains(raw, `"password":"REDACTED"`) {
		t.Errorf("raw does not mark the redacted password: %s", raw)
	}
	if rows[0]["master_auth_username"] != "admin" {
		t.Errorf("master_auth_username = %v, want admin", rows[0]["master_auth_username"])
	}
}

func TestRowBuildersRejectWrongTypes(t *testing.T) {
	tbl, _ := tables.Lookup("gcp_compute_firewall")
	target := tables.Target{Provider: Provider, AccountID: "p", Region: "global", Client: &Client{ProjectID: "p", Assets: fakeLister{
		resourceAsset("//compute.googleapis.com/projects/p/global/firewalls/f", "compute.googleapis.com/Firewall", `{"priority":"high"}`),
	}}}
	err := tbl.Fetch(context.Background(), target, func(tables.Record) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "priority") {
		t.Errorf("error %v, want one naming the priority column", err)
	}
}

func TestIAMBindingRows(t *testing.T) {
	project := &gcpasset.Asset{Name: "//cloudresourcemanager.googleapis.com/projects/9", AssetType: gcpasset.TypeProject,
		IAMPolicy: &gcpasset.Policy{Bindings: []gcpasset.Binding{
			{Role: "roles/owner", Members: []string{"user:a@example.com", "deleted:user:b@example.com?uid=1"}},
		}}}
	org := &gcpasset.Asset{Name: "//cloudresourcemanager.googleapis.com/organizations/1", AssetType: gcpasset.TypeOrganization,
		IAMPolicy: &gcpasset.Policy{Bindings: []gcpasset.Binding{
			{Role: "roles/viewer", Members: []string{"allUsers"}, Condition: &gcpasset.Expr{Title: "t", Expression: "true"}},
		}}}
	tbl, _ := tables.Lookup("gcp_iam_binding")
	client := &Client{ProjectID: "p", Assets: fakeLister{project},
		Ancestors: func(context.Context) ([]*gcpasset.Asset, error) { return []*gcpasset.Asset{org}, nil }}
	var rows []tables.Record
	if err := tbl.Fetch(context.Background(), tables.Target{Client: client}, func(r tables.Record) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	if rows[1]["member_type"] != "deleted" {
		t.Errorf("member_type of a deleted principal = %v, want deleted", rows[1]["member_type"])
	}
	inherited := rows[2]
	if inherited["inherited"] != true || inherited["resource"] != project.Name || inherited["attached_to"] != org.Name {
		t.Errorf("inherited row = %v", inherited)
	}
	if inherited["member_type"] != "allUsers" || inherited["condition_expression"] != "true" {
		t.Errorf("inherited row member and condition = %v, %v", inherited["member_type"], inherited["condition_expression"])
	}
}
