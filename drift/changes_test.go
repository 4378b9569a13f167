package drift

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestChangesInChangedWorld syncs the demo world twice with known changes
// between the syncs and checks that drift reports exactly those, and not
// the fields that move with use.
func TestChangesInChangedWorld(t *testing.T) {
	st := changedWorld(t)
	changes, err := Changes(context.Background(), st.DB(), firstSync, secondSync, Filter{})
	if err != nil {
		t.Fatalf("changes: %v", err)
	}
	var got []string
	paths := map[string]map[string]Field{}
	for _, c := range changes {
		got = append(got, c.Table+" "+c.Kind+" "+c.ResourceID)
		paths[c.ResourceID] = map[string]Field{}
		for _, f := range c.Fields {
			paths[c.ResourceID][f.Path] = f
		}
	}
	want := []string{
		"aws_ec2_instance changed arn:aws:ec2:us-east-1:210987654321:instance/" + taggedInstance,
		"aws_ec2_instance removed arn:aws:ec2:us-east-1:210987654321:instance/" + removedInstance,
		"aws_s3_bucket changed arn:aws:s3:::acme-prod-app-assets",
		"aws_vpc_security_group changed arn:aws:ec2:us-east-1:210987654321:security-group/" + openedGroup,
		"aws_vpc_security_group_rule added " + openedGroup + "|ingress|tcp|22|22|0.0.0.0/0",
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got changes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	fieldCases := []struct {
		resource, path, old, new string
	}{
		{"arn:aws:s3:::acme-prod-app-assets", "policy.Statement[0].Effect", `"Deny"`, `"Allow"`},
		{"arn:aws:s3:::acme-prod-app-assets", "policy.Statement[0].Resource",
			`["arn:aws:s3:::acme-prod-app-assets","arn:aws:s3:::acme-prod-app-assets/*"]`, `"arn:aws:s3:::acme-prod-app-assets/*"`},
		{"arn:aws:s3:::acme-prod-app-assets", "policy.Statement[0].Condition", `{"Bool":{"aws:SecureTransport":"false"}}`, ``},
		{"arn:aws:s3:::acme-prod-app-assets", "policy_status_is_public", `false`, `true`},
		{"arn:aws:ec2:us-east-1:210987654321:instance/" + taggedInstance, "tags.Name", `"legacy-bastion"`, `"bastion-retired"`},
		{"arn:aws:ec2:us-east-1:210987654321:instance/" + removedInstance, "state", `"running"`, ``},
		{openedGroup + "|ingress|tcp|22|22|0.0.0.0/0", "cidr_ipv4", ``, `"0.0.0.0/0"`},
	}
	for _, tc := range fieldCases {
		f, ok := paths[tc.resource][tc.path]
		if !ok {
			t.Errorf("%s: got no change at %s, want %s -> %s", tc.resource, tc.path, tc.old, tc.new)
			continue
		}
		if string(f.Old) != tc.old || string(f.New) != tc.new {
			t.Errorf("%s %s: got %s -> %s, want %s -> %s", tc.resource, tc.path, f.Old, f.New, tc.old, tc.new)
		}
	}
	if n := len(paths["arn:aws:ec2:us-east-1:210987654321:instance/"+taggedInstance]); n != 1 {
		t.Errorf("tagged instance: got %d changed fields, want 1 (tags.Name, with raw.Tags[0].Value hidden)", n)
	}
}

// TestChangesFilters checks that each filter keeps only its resources.
func TestChangesFilters(t *testing.T) {
	st := changedWorld(t)
	cases := []struct {
		name   string
		filter Filter
		want   int
	}{
		{"table", Filter{Tables: []string{"aws_ec2_instance"}}, 2},
		{"provider", Filter{Providers: []string{"aws"}}, 5},
		{"other provider", Filter{Providers: []string{"gcp"}}, 0},
		{"account", Filter{Accounts: []string{"210987654321"}}, 5},
		{"other account", Filter{Accounts: []string{"345678901234"}}, 0},
		{"region", Filter{Regions: []string{"us-east-1"}}, 4},
		{"bucket region", Filter{Regions: []string{"eu-west-1"}}, 1},
		{"tag", Filter{Tags: map[string]string{"owner": "payments-team"}}, 2},
		{"tag and table", Filter{Tags: map[string]string{"owner": "payments-team"}, Tables: []string{"aws_s3_bucket"}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := Changes(context.Background(), st.DB(), firstSync, secondSync, tc.filter)
			if err != nil {
				t.Fatalf("changes: %v", err)
			}
			if len(changes) != tc.want {
				t.Errorf("got %d changed resources, want %d", len(changes), tc.want)
			}
		})
	}
}

// TestChangesSameMoment checks that a moment compared with itself, and a
// moment before any sync compared with itself, yield nothing.
func TestChangesSameMoment(t *testing.T) {
	st := changedWorld(t)
	for _, at := range []time.Time{firstSync, secondSync, firstSync.Add(-time.Hour)} {
		changes, err := Changes(context.Background(), st.DB(), at, at, Filter{})
		if err != nil {
			t.Fatalf("changes at %s: %v", at, err)
		}
		if len(changes) != 0 {
			t.Errorf("at %s: got %d changes, want 0", at, len(changes))
		}
	}
}

// TestChangesUnknownTable checks the error for a table that does not exist.
func TestChangesUnknownTable(t *testing.T) {
	_, err := Changes(context.Background(), nil, firstSync, secondSync, Filter{Tables: []string{"aws_s3_buckets"}})
	if err == nil || !strings.Contains(err.Error(), `"aws_s3_buckets"`) {
		t.Errorf("got error %v, want one naming the unknown table", err)
	}
}
