package drift

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
)

func field(path, old, new string) Field {
	f := Field{Path: path}
	if old != "" {
		f.Old = json.RawMessage(old)
	}
	if new != "" {
		f.New = json.RawMessage(new)
	}
	return f
}

// TestHideRawMirrors lists the fields of one changed resource and the raw
// paths that must stay: a raw field is hidden only when a modelled field
// repeats both its values and its name.
func TestHideRawMirrors(t *testing.T) {
	cases := []struct {
		name   string
		fields []Field
		kept   []string
	}{
		{
			name: "scalar column",
			fields: []Field{
				field("policy_status_is_public", "false", "true"),
				field("raw.PolicyStatus.IsPublic", "false", "true"),
			},
			kept: []string{"policy_status_is_public"},
		},
		{
			name: "path below a JSON column",
			fields: []Field{
				field("policy.Statement[1]", "", `{"Effect":"Allow","Principal":"*"}`),
				field("raw.Policy.Statement[1]", "", `{"Effect":"Allow","Principal":"*"}`),
			},
			kept: []string{"policy.Statement[1]"},
		},
		{
			name: "column named after the last raw key",
			fields: []Field{
				field("block_public_acls", "true", "false"),
				field("raw.PublicAccessBlockConfiguration.BlockPublicAcls", "true", "false"),
			},
			kept: []string{"block_public_acls"},
		},
		{
			name: "same values in another key order",
			fields: []Field{
				field("ip_permissions[0]", "", `{"FromPort":22,"IpProtocol":"tcp"}`),
				field("raw.IpPermissions[0]", "", `{"IpProtocol": "tcp", "FromPort": 22}`),
			},
			kept: []string{"ip_permissions[0]"},
		},
		{
			name: "raw-only change",
			fields: []Field{
				field("instance_type", `"t3.micro"`, `"t3.large"`),
				field("raw.InstanceType", `"t3.micro"`, `"t3.large"`),
				field("raw.SourceDestCheck", "true", "false"),
			},
			kept: []string{"instance_type", "raw.SourceDestCheck"},
		},
		{
			name: "same values under an unrelated name",
			fields: []Field{
				field("versioning_status", `"Enabled"`, `"Suspended"`),
				field("raw.Replication.Status", `"Enabled"`, `"Suspended"`),
			},
			kept: []string{"versioning_status", "raw.Replication.Status"},
		},
		{
			name: "same name with other values",
			fields: []Field{
				field("launch_time", `"2025-01-01 00:00:00+00"`, `"2025-02-01 00:00:00+00"`),
				field("raw.LaunchTime", `"2025-01-01T00:00:00Z"`, `"2025-02-01T00:00:00Z"`),
			},
			kept: []string{"launch_time", "raw.LaunchTime"},
		},
		{
			name: "tag list under raw",
			fields: []Field{
				field("raw.Tags[0].Value", `"legacy-bastion"`, `"bastion-retired"`),
				field("raw.Tags[2]", "", `{"Key":"owner","Value":"payments"}`),
				field("tags.Name", `"legacy-bastion"`, `"bastion-retired"`),
				field("tags.owner", "", `"payments"`),
			},
			kept: []string{"tags.Name", "tags.owner"},
		},
		{
			name: "tag list without a tags change",
			fields: []Field{
				field("raw.Tags[0].Value", `"a"`, `"b"`),
			},
			kept: []string{"raw.Tags[0].Value"},
		},
		{
			name: "only raw changes",
			fields: []Field{
				field("raw.SourceDestCheck", "true", "false"),
				field("raw.Hypervisor", `"xen"`, `"nitro"`),
			},
			kept: []string{"raw.SourceDestCheck", "raw.Hypervisor"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, hidden := hideRawMirrors(tc.fields)
			var paths []string
			for _, f := range got {
				paths = append(paths, f.Path)
			}
			if strings.Join(paths, " ") != strings.Join(tc.kept, " ") {
				t.Errorf("got fields %v, want %v", paths, tc.kept)
			}
			if want := len(tc.fields) - len(tc.kept); hidden != want {
				t.Errorf("got %d hidden, want %d", hidden, want)
			}
		})
	}
}

// TestChangesHideRawMirrors changes a modelled field, a tag and a field
// that only raw holds on one instance. Changes must show the modelled
// column, the tag and the raw-only field, and KeepRawMirrors must bring
// back the raw fields that repeat them.
func TestChangesHideRawMirrors(t *testing.T) {
	ctx := context.Background()
	st := openTestStore(t)
	w := loadWorld(t)
	w.sync(t, st, firstSync)
	w.editJSON(t, prodUSEast1+"ec2-describe-instances.json", func(doc map[string]any) {
		for _, r := range doc["Reservations"].([]any) {
			for _, i := range r.(map[string]any)["Instances"].([]any) {
				instance := i.(map[string]any)
				if instance["InstanceId"] != taggedInstance {
					continue
				}
				instance["InstanceType"] = "m7i.large"
				instance["SourceDestCheck"] = false
				for _, tag := range instance["Tags"].([]any) {
					if tag := tag.(map[string]any); tag["Key"] == "Name" {
						tag["Value"] = "bastion-retired"
					}
				}
			}
		}
	})
	w.sync(t, st, secondSync)

	filter := Filter{Tables: []string{"aws_ec2_instance"}}
	changes, err := Changes(ctx, st.DB(), firstSync, secondSync, filter)
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	if len(changes) != 1 {
		t.Fatalf("got %d changed instances, want 1", len(changes))
	}
	var paths []string
	for _, f := range changes[0].Fields {
		paths = append(paths, f.Path)
	}
	if got, want := strings.Join(paths, " "), "instance_type raw.SourceDestCheck tags.Name"; got != want {
		t.Errorf("got fields %s, want %s", got, want)
	}
	if changes[0].HiddenRawFields != 2 {
		t.Errorf("got %d hidden raw fields, want 2 (raw.InstanceType and the Name tag)", changes[0].HiddenRawFields)
	}

	filter.KeepRawMirrors = true
	all, err := Changes(ctx, st.DB(), firstSync, secondSync, filter)
	if err != nil {
		t.Fatalf("changes with raw mirrors: %v", err)
	}
	if len(all) != 1 || len(all[0].Fields) != len(changes[0].Fields)+2 {
		t.Fatalf("with KeepRawMirrors: got %+v, want the 3 fields and the 2 raw ones", all)
	}
	if all[0].HiddenRawFields != 0 {
		t.Errorf("with KeepRawMirrors: got %d hidden, want 0", all[0].HiddenRawFields)
	}
}

// openTestStore opens an in-memory store that is closed when the test
// ends.
func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
