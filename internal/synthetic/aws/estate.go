// Package aws writes a deterministic synthetic AWS estate straight into a
// stance store, for benchmarks of the SQL controls. It fills the history
// tables of the AWS tables that the built-in controls read with rows shaped
// like real ones. There are many security group rules, instances, buckets
// and IAM users, and fewer VPCs, trails, keys and regional settings. Good
// and bad configurations are mixed, so that controls return both pass and
// fail.
//
// Rows are made by INSERT ... SELECT over range(n) in DuckDB, not through
// the sync engine, so one million rows take seconds. The estate is recorded
// as one successful sync run with an ok partition for every account, region
// and table, so no control reports a blind spot.
//
// Values come from DuckDB's hash of the row number, so the same Config on
// the same DuckDB version yields the same rows.
package aws

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// RegionNames are the regions that an estate of up to eight regions uses,
// in order.
var RegionNames = []string{
	"us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2",
	"eu-central-1", "ap-northeast-1", "us-east-2", "sa-east-1",
}

// optInRegions are listed in aws_ec2_region as not enabled, as DescribeRegions
// lists opt-in regions that the account has not opted in to.
var optInRegions = []string{"af-south-1", "ap-east-1", "me-south-1", "eu-south-1"}

// DefaultResources is the estate size of the CIS benchmark run.
const DefaultResources = 1_000_000

// Config sizes a synthetic estate.
type Config struct {
	// Resources is the approximate number of rows across all tables
	// (default DefaultResources). Each table gets a fixed share of it.
	Resources int
	// Accounts is the number of accounts (default one per 20,000
	// resources, from 2 to 50).
	Accounts int
	// Regions is the number of enabled regions in every account, taken
	// from the start of RegionNames (default 4).
	Regions int
	// Now is the moment that ages and expiry dates are relative to
	// (default time.Now). Controls that compare ages with now() judge
	// the estate correctly when it is close to the time of the check.
	Now time.Time
}

// Estate describes a generated estate.
type Estate struct {
	Config   Config
	RunID    int64
	SyncTime time.Time
	// Rows maps each table name to its number of rows.
	Rows map[string]int64
}

// Total returns the number of rows across all tables.
func (e *Estate) Total() int64 {
	var n int64
	for _, rows := range e.Rows {
		n += rows
	}
	return n
}

// perMillion is the number of rows of each scaled table in an estate of
// one million resources. The network ACLs, their entries, the flow logs
// and the credential report follow from the VPCs and the users, and the
// tables with one row per account or region follow from the layout.
var perMillion = map[string]int{
	"aws_vpc_security_group_rule": 430_000,
	"aws_vpc_security_group":      80_000,
	"aws_ec2_instance":            120_000,
	"aws_s3_bucket":               60_000,
	"aws_iam_access_key":          70_000,
	"aws_iam_user":                50_000,
	"aws_iam_role":                40_000,
	"aws_iam_policy":              30_000,
	"aws_kms_key":                 10_000,
	"aws_rds_db_instance":         8_000,
	"aws_efs_file_system":         4_000,
	"aws_vpc":                     2_000,
	"aws_iam_server_certificate":  1_000,
}

// withDefaults returns c with its zero fields set.
func (c Config) withDefaults() (Config, error) {
	if c.Resources == 0 {
		c.Resources = DefaultResources
	}
	if c.Resources < 0 {
		return c, fmt.Errorf("invalid resource count %d: use a positive number", c.Resources)
	}
	if c.Accounts == 0 {
		c.Accounts = min(50, max(2, c.Resources/20_000))
	}
	if c.Regions == 0 {
		c.Regions = 4
	}
	if c.Accounts < 1 || c.Accounts > 100_000 {
		return c, fmt.Errorf("invalid account count %d: use 1 to 100000", c.Accounts)
	}
	if c.Regions < 1 || c.Regions > len(RegionNames) {
		return c, fmt.Errorf("invalid region count %d: use 1 to %d", c.Regions, len(RegionNames))
	}
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	c.Now = c.Now.UTC().Truncate(time.Microsecond)
	return c, nil
}

// layout holds the sizes that the SQL of every table is built from.
// Regional tables deal row i to partition i % partitions, that is to
// account i % partitions % accounts and region i % partitions / accounts,
// at slot i / partitions of that partition. Global tables deal row i to
// account i % accounts at slot i / accounts. A row can thus find a related
// row of the same account and region from its own index alone.
type layout struct {
	accounts, regions, partitions int
	// Rows per partition of regional tables and per account of global
	// tables.
	vpcs, groups, instances, kmsKeys, databases, fileSystems int
	buckets, users, roles, policies, certificates            int
	// Totals of tables whose size is not per partition.
	rules, accessKeys int
}

// newLayout sizes every table for c.
func newLayout(c Config) layout {
	l := layout{accounts: c.Accounts, regions: c.Regions, partitions: c.Accounts * c.Regions}
	scale := float64(c.Resources) / DefaultResources
	perPartition := func(table string) int {
		return max(1, int(math.Round(float64(perMillion[table])*scale/float64(l.partitions))))
	}
	perAccount := func(table string) int {
		return max(1, int(math.Round(float64(perMillion[table])*scale/float64(l.accounts))))
	}
	l.vpcs = perPartition("aws_vpc")
	// Every VPC has its default group, and at least one other group.
	l.groups = max(l.vpcs+1, perPartition("aws_vpc_security_group"))
	l.instances = perPartition("aws_ec2_instance")
	l.kmsKeys = perPartition("aws_kms_key")
	l.databases = perPartition("aws_rds_db_instance")
	l.fileSystems = perPartition("aws_efs_file_system")
	// Slot 0 is the CloudTrail log bucket in account 0, and the trails of
	// other accounts use slot 1: keep both.
	l.buckets = max(2, perAccount("aws_s3_bucket"))
	l.users = perAccount("aws_iam_user")
	// Slots 0 and 1 are the support and instance roles of the account.
	l.roles = max(2, perAccount("aws_iam_role"))
	// Slots 0 to 2 are AWS-managed policies.
	l.policies = max(4, perAccount("aws_iam_policy"))
	l.certificates = perAccount("aws_iam_server_certificate")
	l.rules = max(l.partitions*l.groups, int(math.Round(float64(perMillion["aws_vpc_security_group_rule"])*scale)))
	l.accessKeys = max(1, int(math.Round(float64(perMillion["aws_iam_access_key"])*scale)))
	return l
}

// Generate writes a synthetic estate into st. It creates the history
// tables and views it needs, fills them, and records one successful sync
// run that covers every account, region and table. It expects a store
// without resource rows: rows already open under the same keys would be
// duplicated.
func Generate(ctx context.Context, st *store.Store, cfg Config) (*Estate, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	runID, syncTime, err := st.BeginRun(ctx, "aws", "synthetic estate", cfg.Now)
	if err != nil {
		return nil, err
	}
	conn, err := st.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()

	g := &generator{st: st, conn: conn, cfg: cfg, layout: newLayout(cfg), runID: runID, syncTime: syncTime}
	if err := g.defineMacros(ctx); err != nil {
		return nil, err
	}
	for _, spec := range g.specs() {
		if err := g.insert(ctx, spec); err != nil {
			return nil, err
		}
	}
	rows, err := g.recordRun(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return nil, fmt.Errorf("checkpoint synthetic estate: %w", err)
	}
	return &Estate{Config: cfg, RunID: runID, SyncTime: syncTime, Rows: rows}, nil
}
