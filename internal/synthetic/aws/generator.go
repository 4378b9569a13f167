package aws

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
	// The AWS table definitions register themselves, and Generate looks
	// them up by name.
	_ "github.com/stance-cspm/stance/tables/aws"
)

// tableSpec is the SQL that fills one table. The query returns the table's
// columns by name, except raw, which insert adds as the row's columns in
// JSON unless ownRaw is set.
type tableSpec struct {
	table  string
	query  string
	ownRaw bool
}

// generator fills the tables of one estate over one connection, because
// the helper macros are temporary and live on that connection only.
type generator struct {
	st       *store.Store
	conn     *sql.Conn
	cfg      Config
	layout   layout
	runID    int64
	syncTime time.Time
}

// specs returns the tables in the order they must be filled: security
// group rules before groups and network ACL entries before ACLs, because
// groups and ACLs summarize their rules and entries in JSON.
func (g *generator) specs() []tableSpec {
	return []tableSpec{
		g.regionSpec(),
		g.vpcSpec(),
		g.securityGroupRuleSpec(),
		g.securityGroupSpec(),
		g.networkACLEntrySpec(),
		g.networkACLSpec(),
		g.flowLogSpec(),
		g.instanceSpec(),
		g.databaseSpec(),
		g.fileSystemSpec(),
		g.kmsKeySpec(),
		g.ebsDefaultSpec(),
		g.bucketSpec(),
		g.accountPublicAccessBlockSpec(),
		g.trailSpec(),
		g.analyzerSpec(),
		g.recorderSpec(),
		g.hubSpec(),
		g.userSpec(),
		g.credentialReportSpec(),
		g.accessKeySpec(),
		g.roleSpec(),
		g.policySpec(),
		g.certificateSpec(),
		g.accountSummarySpec(),
		g.passwordPolicySpec(),
	}
}

// defineMacros creates the temporary macros that the table queries share:
// the layout of rows over accounts and regions, pseudo-random choices, ids
// and ages.
func (g *generator) defineMacros(ctx context.Context) error {
	l := g.layout
	quoted := make([]string, l.regions)
	for i, r := range RegionNames[:l.regions] {
		quoted[i] = "'" + r + "'"
	}
	now := g.cfg.Now.Format("2006-01-02 15:04:05.999999") + "+00"
	macros := []string{
		// Account ids have 12 digits. Account 0 is the management account
		// that owns the organization trail and its log bucket.
		`syn_account(a) AS (100000000000 + (a) * 7340033)::VARCHAR`,
		`syn_region(r) AS [` + strings.Join(quoted, ", ") + `][(r) + 1]`,
		// syn_roll returns a pseudo-random integer in [0, m) for row i.
		// Each salt gives an independent choice.
		`syn_roll(i, salt, m) AS (hash(i, salt) % (m))::BIGINT`,
		`syn_pick(options, i, salt) AS options[syn_roll(i, salt, len(options)) + 1]`,
		`syn_ago(days) AS TIMESTAMPTZ '` + now + `' - to_days(CAST(days AS INTEGER))`,
		// Ids are unique per prefix because the hex number grows with i.
		`syn_id(prefix, i, salt) AS prefix || '-' || printf('%017x', (i)::BIGINT * 2654435761 + (salt)::BIGINT * 1000000007)`,
		`syn_uuid(i, salt) AS regexp_replace(md5((i)::VARCHAR || '/' || (salt)::VARCHAR), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\1-\2-\3-\4-\5')`,

		fmt.Sprintf(`syn_r_account_index(i) AS (i) %% %d %% %d`, l.partitions, l.accounts),
		`syn_r_account(i) AS syn_account(syn_r_account_index(i))`,
		fmt.Sprintf(`syn_r_region(i) AS syn_region((i) %% %d // %d)`, l.partitions, l.accounts),
		fmt.Sprintf(`syn_r_slot(i) AS (i) // %d`, l.partitions),
		fmt.Sprintf(`syn_g_account_index(i) AS (i) %% %d`, l.accounts),
		`syn_g_account(i) AS syn_account(syn_g_account_index(i))`,
		fmt.Sprintf(`syn_g_slot(i) AS (i) // %d`, l.accounts),
		// The row at slot s of account a in a global table.
		fmt.Sprintf(`syn_g_row(a, s) AS (a) + %d * (s)`, l.accounts),
		// The row at slot s of the same partition as regional row i.
		fmt.Sprintf(`syn_r_sibling(i, s) AS (i) %% %d + %d * (s)`, l.partitions, l.partitions),
		fmt.Sprintf(`syn_vpc_index(i) AS syn_r_sibling(i, syn_r_slot(i) %% %d)`, l.vpcs),

		`syn_vpc_id(v) AS syn_id('vpc', v, 1)`,
		`syn_sg_id(g) AS syn_id('sg', g, 2)`,
		`syn_acl_id(q) AS syn_id('acl', q, 3)`,
		`syn_subnet_id(v, k) AS syn_id('subnet', (v) * 4 + (k), 4)`,
		fmt.Sprintf(`syn_sg_is_default(g) AS syn_r_slot(g) < %d`, l.vpcs),
		// 40% of default groups have had their rules removed.
		`syn_sg_clean_default(g) AS syn_sg_is_default(g) AND syn_roll(g, 10, 100) < 40`,
		`syn_sg_name(g) AS CASE WHEN syn_sg_is_default(g) THEN 'default'
			ELSE syn_pick(['web', 'app', 'db', 'bastion', 'alb', 'batch', 'cache', 'worker', 'vpn', 'monitoring'], g, 11) || '-' || syn_r_slot(g) END`,
		`syn_tags(i, salt) AS MAP {
			'env': syn_pick(['prod', 'staging', 'dev', 'sandbox'], i, salt),
			'team': syn_pick(['payments', 'identity', 'search', 'platform', 'data', 'mobile', 'growth'], i, (salt) + 1),
			'cost-center': 'cc-' || (1000 + syn_roll(i, (salt) + 2, 40))}`,

		// IAM names, shared by the tables that refer to one another.
		`syn_role_name(r) AS CASE syn_g_slot(r)
			WHEN 0 THEN 'support-access'
			WHEN 1 THEN 'ec2-instance-role'
			ELSE CASE WHEN syn_g_slot(r) % 4 = 1 THEN 'ec2-' ELSE '' END
				|| syn_pick(['app', 'lambda', 'ecs-task', 'ci-deploy', 'readonly', 'data-pipeline', 'backup'], r, 12)
				|| '-' || syn_g_slot(r) END`,
		`syn_user_name(u) AS syn_pick(['dev', 'ops', 'data', 'sec', 'fin', 'svc'], u, 13) || '.user' || syn_g_slot(u)`,
		`syn_bucket_name(b) AS CASE
			WHEN b = 0 THEN 'stance-bench-cloudtrail-logs'
			WHEN syn_g_slot(b) = 1 THEN 'stance-bench-' || syn_g_account(b) || '-trail-logs'
			WHEN syn_g_slot(b) % 10 = 3 THEN 'stance-bench-' || syn_g_account(b) || '-audit-' || syn_g_slot(b)
			ELSE 'stance-bench-' || syn_g_account(b) || '-'
				|| syn_pick(['data', 'assets', 'backups', 'logs', 'exports', 'web', 'ml'], b, 14) || '-' || syn_g_slot(b) END`,
		// Access key k belongs to user k % users, so users below
		// keys - users have a second key, k + users.
		`syn_key_active(k) AS syn_roll(k, 40, 100) < 80`,
		`syn_key_age_days(k) AS CASE WHEN syn_roll(k, 41, 100) < 65 THEN syn_roll(k, 42, 89) ELSE 90 + syn_roll(k, 42, 900) END`,
		`syn_key_idle_days(k) AS CASE WHEN syn_roll(k, 43, 100) < 15 THEN NULL
			ELSE least(syn_key_age_days(k), CASE WHEN syn_roll(k, 44, 100) < 75 THEN syn_roll(k, 45, 30) ELSE syn_roll(k, 45, 400) END) END`,
		// 60% of users have a console password, and most of those MFA.
		`syn_user_console(u) AS syn_roll(u, 31, 100) < 60`,
		`syn_user_mfa(u) AS CASE WHEN syn_user_console(u) THEN syn_roll(u, 32, 100) < 85 ELSE syn_roll(u, 32, 100) < 10 END`,
		`syn_user_age_days(u) AS 400 + syn_roll(u, 36, 1500)`,
		`syn_password_idle_days(u) AS CASE WHEN NOT syn_user_console(u) OR syn_roll(u, 33, 100) < 5 THEN NULL
			WHEN syn_roll(u, 34, 100) < 75 THEN syn_roll(u, 35, 45) ELSE 45 + syn_roll(u, 35, 400) END`,
		// The root user of 88% of accounts has MFA, and 4% have an access key.
		`syn_root_mfa(a) AS syn_roll(a, 50, 100) < 88`,
		`syn_root_key(a) AS syn_roll(a, 51, 100) < 4`,
	}
	for _, m := range macros {
		if _, err := g.conn.ExecContext(ctx, "CREATE OR REPLACE TEMP MACRO "+m); err != nil {
			name, _, _ := strings.Cut(m, " AS ")
			return fmt.Errorf("define macro %s: %w", name, err)
		}
	}
	return nil
}

// insert creates the table and view of spec and fills the history table
// with the rows of its query, as open versions of the synthetic sync run.
func (g *generator) insert(ctx context.Context, spec tableSpec) error {
	tbl, ok := tables.Lookup(spec.table)
	if !ok {
		return fmt.Errorf("synthetic estate: no table %s", spec.table)
	}
	if err := g.st.EnsureTable(ctx, tbl.Schema()); err != nil {
		return err
	}
	region := "src.region"
	if tbl.Global {
		region = "'" + tables.GlobalRegion + "'"
	}
	raw := ", to_json(src) AS raw"
	if spec.ownRaw {
		raw = ""
	}
	stmt := fmt.Sprintf(`INSERT INTO %s.%s BY NAME
		SELECT src.*%s,
			src.account_id || '/' || src.%s AS %s,
			hash(src) AS %s,
			src.account_id || '/' || %s AS %s,
			?::TIMESTAMPTZ AS %s,
			NULL::TIMESTAMPTZ AS %s,
			?::BIGINT AS %s
		FROM (%s) src`,
		store.HistorySchema, spec.table, raw,
		tbl.Key, store.ColKey, store.ColHash, region, store.ColPartition,
		store.ColValidFrom, store.ColValidTo, store.ColRunID, spec.query)
	if _, err := g.conn.ExecContext(ctx, stmt, g.syncTime, g.runID); err != nil {
		return fmt.Errorf("fill synthetic %s: %w", spec.table, err)
	}
	return nil
}

// recordRun records an ok partition for every table, account and region
// (the global region for global tables), with its row count, finishes the
// sync run, and returns the rows per table.
func (g *generator) recordRun(ctx context.Context) (map[string]int64, error) {
	l := g.layout
	rows := map[string]int64{}
	var parts []store.PartitionRecord
	var summary store.RunSummary

	for _, spec := range g.specs() {
		tbl, _ := tables.Lookup(spec.table)
		counts, err := g.partitionCounts(ctx, spec.table)
		if err != nil {
			return nil, err
		}
		regions := RegionNames[:l.regions]
		if tbl.Global {
			regions = []string{tables.GlobalRegion}
		}
		for a := range l.accounts {
			account := accountID(a)
			for _, region := range regions {
				n := counts[account+"/"+region]
				parts = append(parts, store.PartitionRecord{
					Provider: "aws", Table: spec.table, AccountID: account, Region: region,
					StartedAt: g.syncTime, FinishedAt: g.syncTime, Status: store.StatusOK, Rows: n,
				})
				rows[spec.table] += n
				summary.RowsFetched += n
			}
		}
	}

	if err := g.st.RecordPartitions(ctx, g.runID, parts); err != nil {
		return nil, err
	}
	summary.Status = store.RunOK
	summary.PartitionsTotal = int64(len(parts))
	summary.PartitionsOK = int64(len(parts))
	summary.VersionsAdded = summary.RowsFetched
	if err := g.st.FinishRun(ctx, g.runID, summary); err != nil {
		return nil, err
	}
	return rows, nil
}

// partitionCounts returns the rows of table per partition.
func (g *generator) partitionCounts(ctx context.Context, table string) (map[string]int64, error) {
	q := fmt.Sprintf(`SELECT %s, count(*) FROM %s.%s GROUP BY ALL`, store.ColPartition, store.HistorySchema, table)
	rs, err := g.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("count rows of synthetic %s: %w", table, err)
	}
	defer rs.Close()
	out := map[string]int64{}
	for rs.Next() {
		var partition string
		var n int64
		if err := rs.Scan(&partition, &n); err != nil {
			return nil, fmt.Errorf("count rows of synthetic %s: %w", table, err)
		}
		out[partition] = n
	}
	return out, rs.Err()
}

// accountID returns the id of account a, as the syn_account macro does.
func accountID(a int) string {
	return fmt.Sprint(100000000000 + int64(a)*7340033)
}
