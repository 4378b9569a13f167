package drift

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/store"

	// The built-in packs hold controls of every provider, and loading them
	// needs every table that a control reads.
	_ "github.com/stance-cspm/stance/tables/all"
)

// The public access block of the bucket that the findings test makes
// public, and its four settings.
const blockFile = prodUSEast1 + "s3-get-public-access-block/acme-prod-app-assets"

var blockSettings = []string{"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}

// checkDemo runs the CIS AWS v6.0.0 benchmark over the store at now.
func checkDemo(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	p, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		t.Fatalf("load packs: %v", err)
	}
	b, err := p.Benchmark("cis_aws@6.0.0")
	if err != nil {
		t.Fatalf("find benchmark: %v", err)
	}
	opts := benchmarks.Options{Now: func() time.Time { return now }, Logger: discardLog}
	if _, err := benchmarks.Execute(context.Background(), st, p, b, nil, benchmarks.Filters{}, opts); err != nil {
		t.Fatalf("check at %s: %v", now, err)
	}
}

// TestFindingChangesPublicBucket syncs and checks the demo world, makes a
// bucket public, syncs and checks again, and expects the bucket's new
// findings to name the policy change as their cause.
func TestFindingChangesPublicBucket(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, _, err := CheckRuns(ctx, st.DB(), time.Time{}, time.Time{}); err != ErrNoCheckRun {
		t.Fatalf("check runs of an empty store: got error %v, want ErrNoCheckRun", err)
	}

	w := loadWorld(t)
	w.sync(t, st, firstSync)
	checkDemo(t, st, firstSync.Add(time.Minute))
	w.replace(t, prodUSEast1+"s3-get-bucket-policy/acme-prod-app-assets",
		`\"Statement\":[`, `\"Statement\":[`+publicBucketPolicy)
	w.replace(t, prodUSEast1+"s3-get-bucket-policy-status/acme-prod-app-assets", `"IsPublic": false`, `"IsPublic": true`)
	for _, setting := range blockSettings {
		w.replace(t, blockFile, `"`+setting+`": true`, `"`+setting+`": false`)
	}
	w.sync(t, st, secondSync)
	checkDemo(t, st, secondSync.Add(time.Minute))

	older, newer, err := CheckRuns(ctx, st.DB(), time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("check runs: %v", err)
	}
	if older.ID >= newer.ID || !newer.EvaluatedAt.Equal(secondSync.Add(time.Minute)) {
		t.Fatalf("got runs %d at %s and %d at %s, want the two runs in order", older.ID, older.EvaluatedAt, newer.ID, newer.EvaluatedAt)
	}
	changes, err := FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		t.Fatalf("finding changes: %v", err)
	}
	if len(changes) == 0 {
		t.Fatal("got no finding changes, want the public bucket's findings")
	}
	for _, c := range changes {
		if !strings.Contains(c.Resource, "acme-prod-app-assets") {
			t.Errorf("got %s %s on %s, want only changes on acme-prod-app-assets", c.Kind, c.ControlID, c.Resource)
			continue
		}
		if c.Kind != Appeared {
			t.Errorf("%s: got %s, want %s", c.ControlID, c.Kind, Appeared)
		}
		if len(c.Requirements) == 0 {
			t.Errorf("%s: got no requirement ids, want the CIS ids it maps to", c.ControlID)
		}
		if len(c.Causes) != 1 {
			t.Errorf("%s: got %d causes, want 1", c.ControlID, len(c.Causes))
			continue
		}
		cause := c.Causes[0]
		if cause.Table != "aws_s3_bucket" || cause.Kind != Changed {
			t.Errorf("%s: got cause %s %s, want aws_s3_bucket changed", c.ControlID, cause.Table, cause.Kind)
		}
		if got := strings.Join(cause.Columns, ","); !strings.Contains(got, "policy") {
			t.Errorf("%s: got changed columns %s, want policy among them", c.ControlID, got)
		}
		if cause.At == nil || !cause.At.Equal(secondSync) {
			t.Errorf("%s: got change time %v, want %s", c.ControlID, cause.At, secondSync)
		}
	}

	var out strings.Builder
	if err := WriteFindings(&out, "table", FindingsReport{From: older, To: newer, Changes: changes}); err != nil {
		t.Fatalf("write findings: %v", err)
	}
	if want := "failed since its block_public_acls, block_public_policy, ignore_public_acls, policy, policy_status_is_public, restrict_public_buckets changed at 2026-03-01 14:02 UTC"; !strings.Contains(out.String(), want) {
		t.Errorf("got view\n%s\nwant it to contain %q", out.String(), want)
	}

	// Fixing the bucket resolves the same findings.
	w.replace(t, prodUSEast1+"s3-get-bucket-policy/acme-prod-app-assets", publicBucketPolicy, ``)
	w.replace(t, prodUSEast1+"s3-get-bucket-policy-status/acme-prod-app-assets", `"IsPublic": true`, `"IsPublic": false`)
	for _, setting := range blockSettings {
		w.replace(t, blockFile, `"`+setting+`": false`, `"`+setting+`": true`)
	}
	third := secondSync.Add(time.Hour)
	w.sync(t, st, third)
	checkDemo(t, st, third.Add(time.Minute))
	older, newer, err = CheckRuns(ctx, st.DB(), time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("check runs: %v", err)
	}
	resolved, err := FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		t.Fatalf("finding changes: %v", err)
	}
	if len(resolved) != len(changes) {
		t.Errorf("got %d finding changes after the fix, want %d", len(resolved), len(changes))
	}
	for _, c := range resolved {
		if c.Kind != Resolved {
			t.Errorf("%s on %s: got %s after the fix, want %s", c.ControlID, c.Resource, c.Kind, Resolved)
		}
	}
}

// TestFindingResolvedWhenAllPass resolves a finding whose control passed
// everywhere in the newer run. Such a run stores no row for the control
// in stance_check_result, only its counts in stance_check_control. Without
// that table, such a control cannot be distinguished from one that did not
// run.
func TestFindingResolvedWhenAllPass(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	for _, q := range []string{
		`CREATE TABLE stance_check_result (run_id BIGINT, control_id VARCHAR, resource VARCHAR, status VARCHAR,
			account_id VARCHAR, region VARCHAR, severity VARCHAR, reason VARCHAR)`,
		`INSERT INTO stance_check_result VALUES (1, 'c1', 'arn:aws:s3:::b1', 'fail', '111122223333', 'us-east-1', 'high', 'bucket b1 is public')`,
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	older, newer := CheckRun{ID: 1}, CheckRun{ID: 2}
	changes, err := FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("without stance_check_control: got %+v, want no change, since nothing says c1 ran", changes)
	}

	for _, q := range []string{
		`CREATE TABLE stance_check_control (run_id BIGINT, control_id VARCHAR, errors BIGINT, skipped BIGINT)`,
		`INSERT INTO stance_check_control VALUES (1, 'c1', 0, 0), (2, 'c1', 0, 0)`,
	} {
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	changes, err = FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Kind != Resolved || changes[0].Resource != "arn:aws:s3:::b1" {
		t.Errorf("with stance_check_control: got %+v, want b1 resolved", changes)
	}

	// A control with a skip in the newer run resolves nothing.
	if _, err := st.DB().ExecContext(ctx, `UPDATE stance_check_control SET skipped = 1 WHERE run_id = 2`); err != nil {
		t.Fatal(err)
	}
	changes, err = FindingChanges(ctx, st.DB(), older, newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("with a skip in the newer run: got %+v, want no change", changes)
	}
}
