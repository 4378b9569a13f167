package aws

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// testNow is the reference time of the test estates, so that two
// generations can be compared.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func generateForTest(t *testing.T, cfg Config) (*store.Store, *Estate) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	estate, err := Generate(ctx, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st, estate
}

func queryInt(t *testing.T, st *store.Store, q string) int64 {
	t.Helper()
	var n int64
	if err := st.DB().QueryRowContext(context.Background(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestGenerateSizesAndCoverage(t *testing.T) {
	cfg := Config{Resources: 20_000, Accounts: 3, Regions: 2, Now: testNow}
	st, estate := generateForTest(t, cfg)

	total := estate.Total()
	if total < 18_000 || total > 22_000 {
		t.Errorf("total rows: got %d, want 20000 within 10%%", total)
	}
	g := &generator{cfg: cfg, layout: newLayout(cfg)}
	for _, spec := range g.specs() {
		n := estate.Rows[spec.table]
		if n == 0 {
			t.Errorf("table %s: got no rows", spec.table)
		}
		stored := queryInt(t, st, "SELECT count(*) FROM "+spec.table)
		if stored != n {
			t.Errorf("view %s: got %d rows, want the %d recorded", spec.table, stored, n)
		}
		distinct := queryInt(t, st, "SELECT count(DISTINCT _key) FROM history."+spec.table)
		if distinct != n {
			t.Errorf("table %s: got %d distinct keys for %d rows", spec.table, distinct, n)
		}
	}

	// Regional tables are synced in every account and region, global ones
	// once per account, all successfully.
	var regional, global int
	for _, spec := range g.specs() {
		if queryInt(t, st, fmt.Sprintf("SELECT count(*) FROM stance_sync_partition WHERE table_name = '%s' AND region = 'global'", spec.table)) > 0 {
			global++
		} else {
			regional++
		}
	}
	wantParts := int64(regional*cfg.Accounts*cfg.Regions + global*cfg.Accounts)
	if got := queryInt(t, st, "SELECT count(*) FROM stance_sync_partition WHERE status = 'ok'"); got != wantParts {
		t.Errorf("ok partitions: got %d, want %d", got, wantParts)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM stance_sync_partition WHERE status <> 'ok'"); got != 0 {
		t.Errorf("partitions not ok: got %d, want 0", got)
	}
	if got := queryInt(t, st, "SELECT count(DISTINCT account_id) FROM aws_vpc_security_group_rule"); got != int64(cfg.Accounts) {
		t.Errorf("accounts with security group rules: got %d, want %d", got, cfg.Accounts)
	}
}

func TestGenerateRelationsHold(t *testing.T) {
	st, _ := generateForTest(t, Config{Resources: 20_000, Accounts: 3, Regions: 2, Now: testNow})
	cases := []struct {
		name  string
		query string
	}{
		{"rule without its group", `SELECT count(*) FROM aws_vpc_security_group_rule r
			LEFT JOIN aws_vpc_security_group g USING (account_id, region, group_id) WHERE g.group_id IS NULL`},
		{"group in another VPC's partition", `SELECT count(*) FROM aws_vpc_security_group g
			LEFT JOIN aws_vpc v USING (account_id, region, vpc_id) WHERE v.vpc_id IS NULL`},
		{"VPC without its default group", `SELECT count(*) FROM aws_vpc v WHERE NOT EXISTS (
			SELECT 1 FROM aws_vpc_security_group g WHERE g.vpc_id = v.vpc_id AND g.group_name = 'default')`},
		{"inbound rules unlike ip_permissions", `SELECT count(*) FROM aws_vpc_security_group g WHERE ip_permissions IS NOT NULL
			AND json_array_length(ip_permissions) <> (SELECT count(*) FROM aws_vpc_security_group_rule r
				WHERE r.group_id = g.group_id AND NOT r.is_egress)`},
		{"entry without its ACL", `SELECT count(*) FROM aws_vpc_network_acl_entry e
			LEFT JOIN aws_vpc_network_acl a USING (account_id, region, network_acl_id) WHERE a.network_acl_id IS NULL`},
		{"flow log of no VPC", `SELECT count(*) FROM aws_vpc_flow_log f
			LEFT JOIN aws_vpc v ON v.account_id = f.account_id AND v.region = f.region AND v.vpc_id = f.resource_id WHERE v.vpc_id IS NULL`},
		{"instance in no VPC of its region", `SELECT count(*) FROM aws_ec2_instance i
			LEFT JOIN aws_vpc v USING (account_id, region, vpc_id) WHERE v.vpc_id IS NULL`},
		{"instance security group elsewhere", `SELECT count(*) FROM aws_ec2_instance i
			LEFT JOIN aws_vpc_security_group g ON g.account_id = i.account_id AND g.region = i.region AND g.group_id = i.security_group_ids[1]
			WHERE g.group_id IS NULL`},
		{"role profile no role has", `SELECT count(*) FROM aws_ec2_instance i WHERE iam_instance_profile_arn NOT LIKE '%/legacy-profile'
			AND NOT EXISTS (SELECT 1 FROM aws_iam_role r WHERE r.account_id = i.account_id
				AND list_contains(r.instance_profile_arns, i.iam_instance_profile_arn))`},
		{"access key of no user", `SELECT count(*) FROM aws_iam_access_key k
			LEFT JOIN aws_iam_user u ON u.arn = k.user_arn WHERE u.arn IS NULL`},
		{"user without report line", `SELECT count(*) FROM aws_iam_user u
			LEFT JOIN aws_iam_credential_report r ON r.user_arn = u.arn WHERE r.user_arn IS NULL`},
		{"report key status unlike key", `SELECT count(*) FROM aws_iam_credential_report r
			JOIN (SELECT user_arn, count(*) FILTER (WHERE status = 'Active') AS active FROM aws_iam_access_key GROUP BY ALL) k USING (user_arn)
			WHERE k.active <> r.access_key_1_active::INTEGER + r.access_key_2_active::INTEGER`},
		{"account without root line", `SELECT count(*) FROM aws_iam_account_summary s WHERE NOT EXISTS (
			SELECT 1 FROM aws_iam_credential_report r WHERE r.account_id = s.account_id AND r."user" = '<root_account>')`},
		{"trail bucket not synced", `SELECT count(*) FROM aws_cloudtrail_trail t
			WHERE NOT EXISTS (SELECT 1 FROM aws_s3_bucket b WHERE b.name = t.s3_bucket_name)`},
		{"enabled region without recorder sync", `SELECT count(*) FROM aws_ec2_region e WHERE enabled AND NOT EXISTS (
			SELECT 1 FROM stance_sync_partition p WHERE p.table_name = 'aws_config_configuration_recorder'
				AND p.account_id = e.account_id AND p.region = e.region_name)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := queryInt(t, st, c.query); got != 0 {
				t.Errorf("got %d rows, want 0", got)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := Config{Resources: 5_000, Accounts: 2, Regions: 2, Now: testNow}
	first, _ := generateForTest(t, cfg)
	second, _ := generateForTest(t, cfg)
	g := &generator{cfg: cfg, layout: newLayout(cfg)}
	for _, spec := range g.specs() {
		q := "SELECT sum(_hash)::VARCHAR FROM history." + spec.table
		var a, b string
		if err := first.DB().QueryRow(q).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := second.DB().QueryRow(q).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("table %s: got row hash sums %s and %s, want equal", spec.table, a, b)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	cases := []struct {
		in           Config
		wantAccounts int
		wantErr      bool
	}{
		{Config{}, 50, false},
		{Config{Resources: 10_000}, 2, false},
		{Config{Resources: 200_000}, 10, false},
		{Config{Resources: 5_000_000}, 50, false},
		{Config{Resources: 10_000, Accounts: 7}, 7, false},
		{Config{Resources: -1}, 0, true},
		{Config{Regions: len(RegionNames) + 1}, 0, true},
	}
	for _, c := range cases {
		got, err := c.in.withDefaults()
		if (err != nil) != c.wantErr {
			t.Errorf("%+v: got error %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if err == nil && got.Accounts != c.wantAccounts {
			t.Errorf("%+v: got %d accounts, want %d", c.in, got.Accounts, c.wantAccounts)
		}
	}
}
