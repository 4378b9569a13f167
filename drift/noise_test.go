package drift

import (
	"strings"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
	_ "github.com/stance-cspm/stance/tables/aws"
)

// TestIgnoreInDriftNamesColumns walks every table and checks that each
// ignored field starts at one of its columns, that sub-paths sit under a
// JSON or tags column, and that no table hides its key, account or region.
func TestIgnoreInDriftNamesColumns(t *testing.T) {
	for _, tbl := range tables.All() {
		types := map[string]string{}
		for _, c := range tbl.Schema().Columns {
			types[c.Name] = c.Type
		}
		seen := map[string]bool{}
		for _, path := range tbl.IgnoreInDrift {
			if seen[path] {
				t.Errorf("%s: ignored field %q listed twice", tbl.Name, path)
			}
			seen[path] = true
			column, rest, _ := strings.Cut(strings.Replace(path, "[", ".[", 1), ".")
			typ, ok := types[column]
			if !ok {
				t.Errorf("%s: ignored field %q: got column %q, want one of the table's columns", tbl.Name, path, column)
				continue
			}
			if column == tbl.Key || column == tables.ColAccountID || column == tables.ColRegion {
				t.Errorf("%s: ignored field %q hides the resource's identity", tbl.Name, path)
			}
			if rest != "" && typ != store.TypeJSON && typ != store.TypeTags {
				t.Errorf("%s: ignored field %q: got a path below a %s column, want JSON or tags", tbl.Name, path, typ)
			}
		}
	}
}

// TestIgnoreInDriftCoversUsageFields checks that the fields known to move
// with use, and nothing else, stay listed.
func TestIgnoreInDriftCoversUsageFields(t *testing.T) {
	cases := []struct {
		table   string
		ignored []string
		kept    []string
	}{
		{"aws_iam_access_key", []string{"last_used_date", "raw.LastUsed"}, []string{"status", "create_date"}},
		{"aws_iam_role", []string{"role_last_used_date", "raw.Detail.RoleLastUsed"}, []string{"assume_role_policy"}},
		{"aws_iam_user", []string{"password_last_used"}, []string{"mfa_enabled"}},
		{"aws_iam_credential_report", []string{"generated_time", "access_key_1_last_used_date"}, []string{"access_key_1_active", "mfa_active"}},
		{"aws_vpc_subnet", []string{"available_ip_address_count"}, []string{"map_public_ip_on_launch"}},
		{"aws_cloudtrail_trail", []string{"latest_delivery_time"}, []string{"is_logging"}},
		{"aws_ec2_instance", nil, []string{"state", "tags"}},
		{"aws_s3_bucket", nil, []string{"policy"}},
	}
	for _, tc := range cases {
		tbl, ok := tables.Lookup(tc.table)
		if !ok {
			t.Fatalf("no table %s", tc.table)
		}
		listed := map[string]bool{}
		for _, p := range tbl.IgnoreInDrift {
			listed[p] = true
		}
		for _, p := range tc.ignored {
			if !listed[p] {
				t.Errorf("%s: got %q not ignored, want it ignored", tc.table, p)
			}
		}
		for _, p := range tc.kept {
			if listed[p] {
				t.Errorf("%s: got %q ignored, want it compared", tc.table, p)
			}
		}
	}
}
