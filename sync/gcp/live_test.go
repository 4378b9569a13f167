package gcp

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	emulator "github.com/stance-cspm/stance/internal/emulator/gcpasset"
	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
)

const worldFile = "testdata/world.jsonl"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// startEmulator serves the test world with pages of pageSize assets.
func startEmulator(t *testing.T, pageSize int) (*emulator.Server, []*gcpasset.Asset) {
	t.Helper()
	assets, err := emulator.LoadWorld(worldFile)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.Start(emulator.Config{Assets: assets, PageSize: pageSize, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv, assets
}

func newLive(t *testing.T, srv *emulator.Server, opts Options) *Live {
	t.Helper()
	opts.Endpoint = srv.Addr()
	opts.Backoff = time.Millisecond
	opts.Logger = quiet
	live, err := NewLive(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	return live
}

func runSync(t *testing.T, st *store.Store, p sync.Provider) *sync.Result {
	t.Helper()
	res, err := sync.Run(context.Background(), st, p, sync.Options{Concurrency: 4, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func partitionStatus(res *sync.Result) map[string]string {
	out := map[string]string{}
	for _, p := range res.Partitions {
		out[p.AccountID+"/"+p.Region+"/"+p.Table] = p.Status + " " + p.ErrorCode
	}
	return out
}

func TestLiveSyncPagesThroughProjects(t *testing.T) {
	srv, _ := startEmulator(t, 2)
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod", "beta-prod"}, PageSize: 1000})
	st := openStore(t)
	res := runSync(t, st, live)
	if res.Summary.Status != store.RunOK {
		t.Fatalf("run status %s, failed partitions %v", res.Summary.Status, res.Failed())
	}
	// Each project has 8 resource assets; pages of 2 need 4 requests.
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_asset"); got != 16 {
		t.Errorf("gcp_asset rows = %d, want 16", got)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_asset WHERE account_id = 'alpha-prod'"); got != 8 {
		t.Errorf("gcp_asset rows of alpha-prod = %d, want 8", got)
	}
	if srv.Calls() < 10 {
		t.Errorf("emulator served %d requests, want at least 10 with pages of 2", srv.Calls())
	}
	checks := []struct{ query, want string }{
		{"SELECT string_agg(name || ':' || account_id || ':' || region, ',' ORDER BY name) FROM gcp_storage_bucket", "alpha-prod-logs:alpha-prod:eu,beta-prod-logs:beta-prod:eu"},
		{"SELECT count(*)::VARCHAR FROM gcp_storage_bucket WHERE uniform_bucket_level_access_enabled AND versioning_enabled AND retention_period = 2592000", "2"},
		{"SELECT string_agg(account_id || ':' || has_external_ip::VARCHAR, ',' ORDER BY account_id) FROM gcp_compute_instance", "alpha-prod:false,beta-prod:true"},
		{"SELECT json_extract_string(metadata, '$.\"enable-oslogin\"') FROM gcp_compute_instance WHERE account_id = 'alpha-prod'", "TRUE"},
		{"SELECT list_sort(source_ranges)::VARCHAR FROM gcp_compute_firewall WHERE account_id = 'beta-prod'", "[0.0.0.0/0]"},
		{"SELECT rotation_period_seconds::VARCHAR FROM gcp_kms_crypto_key WHERE account_id = 'alpha-prod'", "7776000"},
		{"SELECT key_ring FROM gcp_kms_crypto_key WHERE account_id = 'alpha-prod'", "projects/alpha-prod/locations/europe-west1/keyRings/main"},
		{"SELECT parent FROM gcp_resourcemanager_project WHERE project_id = 'alpha-prod'", "folders/222222222222"},
		{"SELECT service_account_email FROM gcp_iam_service_account_key WHERE account_id = 'beta-prod'", "deployer@beta-prod.iam.gserviceaccount.com"},
		{"SELECT count(*)::VARCHAR FROM gcp_iam_binding WHERE NOT inherited", "6"},
		{"SELECT count(*)::VARCHAR FROM gcp_iam_binding WHERE inherited", "0"},
	}
	for _, c := range checks {
		var got sql.NullString
		if err := st.DB().QueryRow(c.query).Scan(&got); err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if got.String != c.want {
			t.Errorf("%s = %q, want %q", c.query, got.String, c.want)
		}
	}
}

func TestLiveSyncRetriesThrottledPages(t *testing.T) {
	srv, _ := startEmulator(t, 3)
	// The second page of alpha-prod's listings is throttled twice, then
	// served: every partition must complete.
	srv.SetFaults("projects/alpha-prod", &emulator.Faults{Exhaust: 2, ExhaustPage: 1})
	srv.SetFaults("projects/beta-prod", &emulator.Faults{Unavailable: 1})
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod", "beta-prod"}, MaxAttempts: 4})
	st := openStore(t)
	res := runSync(t, st, live)
	if res.Summary.Status != store.RunOK {
		t.Fatalf("run status %s, failed partitions %v", res.Summary.Status, res.Failed())
	}
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_asset"); got != 16 {
		t.Errorf("gcp_asset rows = %d, want 16", got)
	}
}

func TestLiveSyncGivesUpAfterMaxAttempts(t *testing.T) {
	srv, _ := startEmulator(t, 1000)
	srv.SetFaults("projects/alpha-prod", &emulator.Faults{Exhaust: 1000})
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod", "beta-prod"}, MaxAttempts: 3})
	st := openStore(t)
	res := runSync(t, st, live)
	if res.Summary.Status != store.RunPartial {
		t.Fatalf("run status %s, want %s", res.Summary.Status, store.RunPartial)
	}
	status := partitionStatus(res)
	if got := status["alpha-prod/global/gcp_storage_bucket"]; got != store.StatusFailed+" ResourceExhausted" {
		t.Errorf("throttled partition = %q, want failed ResourceExhausted", got)
	}
	if got := status["beta-prod/global/gcp_storage_bucket"]; got != store.StatusOK+" " {
		t.Errorf("other project's partition = %q, want ok", got)
	}
	// Each of alpha-prod's listings made exactly MaxAttempts requests.
	alphaPartitions := 0
	for key := range status {
		if strings.HasPrefix(key, "alpha-prod/") {
			alphaPartitions++
		}
	}
	betaCalls := alphaPartitions // beta-prod: one page per listing
	if got, want := srv.Calls(), alphaPartitions*3+betaCalls; got != want {
		t.Errorf("emulator served %d requests, want %d (3 attempts for each of %d throttled listings, 1 for each other)", got, want, alphaPartitions)
	}
}

func TestLiveSyncDeniedProjectIsBlindSpot(t *testing.T) {
	srv, _ := startEmulator(t, 1000)
	st := openStore(t)
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod", "beta-prod"}})
	runSync(t, st, live)

	srv.SetFaults("projects/beta-prod", &emulator.Faults{Deny: true})
	res := runSync(t, st, live)
	if res.Summary.Status != store.RunPartial {
		t.Fatalf("run status %s, want %s", res.Summary.Status, store.RunPartial)
	}
	for key, got := range partitionStatus(res) {
		want := store.StatusOK + " "
		if strings.HasPrefix(key, "beta-prod/") {
			want = store.StatusBlindSpot + " PermissionDenied"
		}
		if got != want {
			t.Errorf("partition %s = %q, want %q", key, got, want)
		}
	}
	// The denied project keeps its rows from the first sync.
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_asset WHERE account_id = 'beta-prod'"); got != 8 {
		t.Errorf("beta-prod rows after a denied sync = %d, want 8 kept", got)
	}
}

func TestLiveSyncDetectsDeletion(t *testing.T) {
	srv, assets := startEmulator(t, 2)
	st := openStore(t)
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod", "beta-prod"}})
	runSync(t, st, live)

	const gone = "//storage.googleapis.com/projects/_/buckets/alpha-prod-logs"
	srv.SetAssets(slices.DeleteFunc(slices.Clone(assets), func(a *gcpasset.Asset) bool { return a.Name == gone }))
	// beta-prod fails this time: its rows must not be taken as deleted.
	srv.SetFaults("projects/beta-prod", &emulator.Faults{NotFound: true})
	res := runSync(t, st, live)
	// The bucket leaves gcp_asset and gcp_storage_bucket, and its IAM
	// policy leaves gcp_iam_policy and gcp_iam_binding.
	if res.Summary.VersionsClosed != 4 {
		t.Errorf("versions closed = %d, want 4", res.Summary.VersionsClosed)
	}
	for _, table := range []string{"gcp_asset", "gcp_storage_bucket"} {
		if got := queryInt(t, st, fmt.Sprintf("SELECT count(*) FROM %s WHERE asset_name = '%s'", table, gone)); got != 0 {
			t.Errorf("%s still has the deleted bucket", table)
		}
		if got := queryInt(t, st, fmt.Sprintf("SELECT count(*) FROM %s WHERE account_id = 'beta-prod'", table)); got == 0 {
			t.Errorf("%s lost beta-prod's rows although its sync failed", table)
		}
	}
	if got := queryInt(t, st, fmt.Sprintf("SELECT count(*) FROM history.gcp_storage_bucket WHERE asset_name = '%s' AND _valid_to IS NOT NULL", gone)); got != 1 {
		t.Errorf("closed versions of the deleted bucket in history = %d, want 1", got)
	}
}

func TestLiveSyncDiscoversOrganization(t *testing.T) {
	srv, _ := startEmulator(t, 4)
	srv.SetFaults("projects/gamma-dev", &emulator.Faults{Deny: true})
	live := newLive(t, srv, Options{Organizations: []string{"111111111111"}})
	st := openStore(t)
	res := runSync(t, st, live)

	accounts := map[string]bool{}
	for _, p := range res.Partitions {
		accounts[p.AccountID] = true
	}
	for _, want := range []string{"alpha-prod", "beta-prod", "gamma-dev"} {
		if !accounts[want] {
			t.Errorf("project %s was not discovered (scopes: %v)", want, accounts)
		}
	}
	// alpha-prod is in the folder: it inherits the folder's conditional
	// binding and the organization's two bindings.
	checks := []struct{ query, want string }{
		{"SELECT count(*)::VARCHAR FROM gcp_iam_binding WHERE account_id = 'alpha-prod' AND inherited", "3"},
		{"SELECT condition_title FROM gcp_iam_binding WHERE account_id = 'alpha-prod' AND inherited AND role = 'roles/compute.admin'", "business hours"},
		{"SELECT attached_to FROM gcp_iam_binding WHERE account_id = 'alpha-prod' AND inherited AND member = 'domain:example.com'", "//cloudresourcemanager.googleapis.com/organizations/111111111111"},
		{"SELECT resource FROM gcp_iam_binding WHERE account_id = 'alpha-prod' AND inherited AND member = 'domain:example.com'", "//cloudresourcemanager.googleapis.com/projects/1001"},
		{"SELECT string_agg(log_type, ',' ORDER BY log_type) FROM gcp_iam_audit_config WHERE account_id = 'beta-prod' AND service = 'allServices'", "ADMIN_READ,DATA_READ,DATA_WRITE"},
		{"SELECT list_sort(exempted_members)::VARCHAR FROM gcp_iam_audit_config WHERE account_id = 'beta-prod' AND log_type = 'DATA_READ'", "['user:batch@example.com']"},
		{"SELECT boolean_enforced::VARCHAR FROM gcp_orgpolicy_policy WHERE account_id = 'alpha-prod' AND constraint_name = 'constraints/iam.disableServiceAccountKeyCreation'", "true"},
		{"SELECT list_allowed_values::VARCHAR FROM gcp_orgpolicy_policy WHERE account_id = 'alpha-prod' AND constraint_name = 'constraints/gcp.resourceLocations'", "['in:eu-locations']"},
		{"SELECT count(*)::VARCHAR FROM stance_sync_partition WHERE account_id = 'gamma-dev' AND status = 'blind_spot' AND error_code = 'PermissionDenied'", fmt.Sprint(len(res.Partitions) / 3)},
	}
	for _, c := range checks {
		var got sql.NullString
		if err := st.DB().QueryRow(c.query).Scan(&got); err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if got.String != c.want {
			t.Errorf("%s = %q, want %q", c.query, got.String, c.want)
		}
	}
}

// TestLiveAndImportRowsMatch syncs the world through the emulator and
// imports the same world file, and compares every GCP table.
func TestLiveAndImportRowsMatch(t *testing.T) {
	srv, _ := startEmulator(t, 3)
	live := newLive(t, srv, Options{Organizations: []string{"111111111111"}})
	liveStore := openStore(t)
	runSync(t, liveStore, live)

	off, err := NewOffline(OfflineOptions{Paths: []string{worldFile}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { off.Close() })
	fileStore := openStore(t)
	res := runSync(t, fileStore, off)
	if res.Summary.Status != store.RunOK {
		t.Fatalf("import status %s: %v", res.Summary.Status, res.Failed())
	}
	for _, table := range []string{"gcp_asset", "gcp_storage_bucket", "gcp_compute_instance", "gcp_compute_firewall",
		"gcp_kms_crypto_key", "gcp_iam_service_account", "gcp_iam_service_account_key", "gcp_logging_sink",
		"gcp_resourcemanager_project", "gcp_iam_policy", "gcp_iam_binding", "gcp_iam_audit_config", "gcp_orgpolicy_policy"} {
		query := fmt.Sprintf("SELECT * FROM %s WHERE account_id NOT LIKE '%%/%%' ORDER BY ALL", table)
		liveRows := dumpRows(t, liveStore, query)
		fileRows := dumpRows(t, fileStore, query)
		if len(liveRows) == 0 {
			t.Errorf("%s: live sync wrote no row", table)
		}
		if strings.Join(liveRows, "\n") != strings.Join(fileRows, "\n") {
			t.Errorf("%s differs between live sync and import:\nlive:\n%s\nimport:\n%s", table, strings.Join(liveRows, "\n"), strings.Join(fileRows, "\n"))
		}
	}
}

func dumpRows(t *testing.T, st *store.Store, query string) []string {
	t.Helper()
	rows, err := st.DB().Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

func TestLiveSyncAssetTypesKeepOtherTypes(t *testing.T) {
	srv, assets := startEmulator(t, 1000)
	st := openStore(t)
	runSync(t, st, newLive(t, srv, Options{Projects: []string{"alpha-prod"}}))
	before := queryInt(t, st, "SELECT count(*) FROM gcp_asset")

	// A sync of buckets only, after every instance is gone, must close
	// nothing of the other types: their partitions were not read.
	srv.SetAssets(slices.DeleteFunc(slices.Clone(assets), func(a *gcpasset.Asset) bool { return a.AssetType == "compute.googleapis.com/Instance" }))
	live := newLive(t, srv, Options{Projects: []string{"alpha-prod"}, AssetTypes: []string{"storage.googleapis.com/Bucket"}})
	res, err := sync.Run(context.Background(), st, live, sync.Options{Tables: lookupTables(t, "gcp_asset"), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Partitions) != 1 || res.Partitions[0].Region != "storage.googleapis.com/Bucket" {
		t.Fatalf("partitions = %+v, want one named by the bucket type", res.Partitions)
	}
	if res.Partitions[0].Rows != 1 {
		t.Errorf("bucket partition rows = %d, want 1", res.Partitions[0].Rows)
	}
	if got := queryInt(t, st, "SELECT count(*) FROM gcp_asset"); got != before {
		t.Errorf("gcp_asset rows = %d after a bucket-only sync, want %d kept", got, before)
	}
}

func lookupTables(t *testing.T, names ...string) []*tables.Table {
	t.Helper()
	var out []*tables.Table
	for _, n := range names {
		tbl, ok := tables.Lookup(n)
		if !ok {
			t.Fatalf("table %s is not registered", n)
		}
		out = append(out, tbl)
	}
	return out
}
