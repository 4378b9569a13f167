package drift

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestResolveAnalystInput resolves the forms an analyst types against the
// changed demo world: keys, ARNs, bare names and IDs, a removed resource,
// a name shared by several resources and a name that matches nothing.
func TestResolveAnalystInput(t *testing.T) {
	st := changedWorld(t)
	cases := []struct {
		name      string
		input     string
		wantTable string
		wantKey   string
	}{
		{"exact _key", publicBucket, "aws_s3_bucket", publicBucket},
		{"bucket ARN", "arn:aws:s3:::acme-prod-app-assets", "aws_s3_bucket", publicBucket},
		{"bucket name", "acme-prod-app-assets", "aws_s3_bucket", publicBucket},
		{"security group ID", openedGroup, "aws_vpc_security_group",
			"210987654321/arn:aws:ec2:us-east-1:210987654321:security-group/" + openedGroup},
		{"security group name", "bastion-ssh", "aws_vpc_security_group",
			"210987654321/arn:aws:ec2:us-east-1:210987654321:security-group/sg-0b5500000000022aa"},
		{"instance ID", taggedInstance, "aws_ec2_instance",
			"210987654321/arn:aws:ec2:us-east-1:210987654321:instance/" + taggedInstance},
		{"removed instance ID", removedInstance, "aws_ec2_instance",
			"210987654321/arn:aws:ec2:us-east-1:210987654321:instance/" + removedInstance},
		{"access key ID as key column", noisyAccessKey, "aws_iam_access_key", "210987654321/" + noisyAccessKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(context.Background(), st.DB(), tc.input)
			if err != nil {
				t.Fatalf("resolve %q: %v", tc.input, err)
			}
			if got.Table != tc.wantTable {
				t.Errorf("resolve %q: got table %s, want %s", tc.input, got.Table, tc.wantTable)
			}
			if got.Key != tc.wantKey {
				t.Errorf("resolve %q: got key %s, want %s", tc.input, got.Key, tc.wantKey)
			}
		})
	}
}

// TestResolveAmbiguousListsMatches expects a role name that exists in two
// accounts to give an AmbiguousError that lists both roles.
func TestResolveAmbiguousListsMatches(t *testing.T) {
	st := changedWorld(t)
	_, err := Resolve(context.Background(), st.DB(), "OrganizationAccountAccessRole")
	var ambiguous *AmbiguousError
	if !errors.As(err, &ambiguous) {
		t.Fatalf("got error %v, want an AmbiguousError", err)
	}
	if len(ambiguous.Matches) != 2 {
		t.Fatalf("got %d matches, want the role in prod and in dev: %+v", len(ambiguous.Matches), ambiguous.Matches)
	}
	if ambiguous.More {
		t.Error("got More true for 2 matches")
	}
	for _, account := range []string{"210987654321", "345678901234"} {
		want := account + "/arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not list %s:\n%s", want, err)
		}
	}

	// Each listed key resolves to its own resource.
	for _, m := range ambiguous.Matches {
		got, err := Resolve(context.Background(), st.DB(), m.Key)
		if err != nil {
			t.Errorf("resolve listed key %s: %v", m.Key, err)
			continue
		}
		if got.Key != m.Key || got.Table != "aws_iam_role" {
			t.Errorf("resolve listed key %s: got %s in %s", m.Key, got.Key, got.Table)
		}
	}
}

// TestResolveCapsLongLists expects a name shared by more than maxMatches
// resources to list maxMatches of them and report that there are more.
func TestResolveCapsLongLists(t *testing.T) {
	st := changedWorld(t)
	saved := maxMatches
	maxMatches = 5
	t.Cleanup(func() { maxMatches = saved })

	// Each of the three accounts has us-east-1 in its region table and in
	// the tables of regional settings keyed by the region name, such as
	// aws_guardduty_detector.
	_, err := Resolve(context.Background(), st.DB(), "us-east-1")
	var ambiguous *AmbiguousError
	if !errors.As(err, &ambiguous) {
		t.Fatalf("got error %v, want an AmbiguousError", err)
	}
	if len(ambiguous.Matches) != 5 {
		t.Errorf("got %d matches listed, want 5", len(ambiguous.Matches))
	}
	if !ambiguous.More {
		t.Error("got More false, want true")
	}
	if !strings.Contains(err.Error(), "matches more than 5 resources") {
		t.Errorf("got error %q, want it to say more than 5 match", err)
	}
}

// TestResolveErrors checks the messages of an unknown and an empty name.
func TestResolveErrors(t *testing.T) {
	st := changedWorld(t)
	cases := []struct {
		input string
		want  string
	}{
		{"acme-no-such-bucket", `resource "acme-no-such-bucket" not found in any table`},
		{"prod-app-assets", `resource "prod-app-assets" not found`},
		{"  ", "missing resource"},
	}
	for _, tc := range cases {
		_, err := Resolve(context.Background(), st.DB(), tc.input)
		if err == nil {
			t.Errorf("resolve %q: got no error", tc.input)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("resolve %q: got error %q, want it to contain %q", tc.input, err, tc.want)
		}
	}
}

// TestTimelineByBareName expects the history of the bucket, given by its
// name, to hold its two versions with the policy change in the second.
func TestTimelineByBareName(t *testing.T) {
	st := changedWorld(t)
	versions, err := Timeline(context.Background(), st.DB(), "acme-prod-app-assets")
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	if len(versions) != 2 {
		t.Fatalf("got %d versions, want 2", len(versions))
	}
	if len(versions[0].Fields) != 0 {
		t.Errorf("first version: got %d changed fields, want none", len(versions[0].Fields))
	}
	var paths []string
	for _, f := range versions[1].Fields {
		paths = append(paths, f.Path)
	}
	if !strings.Contains(strings.Join(paths, " "), "policy_status_is_public") {
		t.Errorf("second version: got fields %v, want policy_status_is_public among them", paths)
	}
	if versions[0].ValidTo == nil || !versions[0].ValidTo.Equal(secondSync) {
		t.Errorf("first version: got valid to %v, want %s", versions[0].ValidTo, secondSync)
	}
}
