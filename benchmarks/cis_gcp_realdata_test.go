package benchmarks

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncgcp "github.com/stance-cspm/stance/sync/gcp"
)

// gcpRealDataDir returns the Cloud Asset Inventory test fixtures of
// GoogleCloudPlatform/policy-library (Apache-2.0), which live beside the
// repository in shared/realdata, or below $STANCE_REALDATA when that is set
// (for a git worktree placed elsewhere). The test is skipped without them.
func gcpRealDataDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "shared", "realdata")
	if env := os.Getenv("STANCE_REALDATA"); env != "" {
		root = env
	}
	dir := filepath.Join(root, "gcp-cai-policy-library")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Cloud Asset Inventory fixtures not found at %s (set STANCE_REALDATA to the realdata folder): %v", dir, err)
	}
	return dir
}

// TestCISGCPOverRealData imports every policy-library fixture, runs the
// CIS GCP benchmark, and checks the results that the fixtures were built to
// show. The fixtures reuse some asset names across files, and the import
// keeps the last one read, so the expectations below use names that occur
// in one fixture only.
func TestCISGCPOverRealData(t *testing.T) {
	dir := gcpRealDataDir(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "stance.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	off, err := syncgcp.NewOffline(syncgcp.OfflineOptions{Paths: []string{dir}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sync.Run(ctx, st, off, sync.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.PartitionsFailed > 0 {
		t.Fatalf("import: %d partitions failed", res.Summary.PartitionsFailed)
	}

	p := loadBuiltin(t)
	b, err := p.Benchmark("cis_gcp@4.0.0")
	if err != nil {
		t.Fatal(err)
	}
	run, err := Execute(ctx, st, p, b, nil, Filters{}, Options{Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]Result{}
	for _, o := range run.Outcomes {
		if o.Err != nil {
			t.Errorf("control %s failed to run: %v", o.Control.ID, o.Err)
			continue
		}
		got[o.Control.ID] = map[string]Result{}
		for _, r := range o.Results {
			if r.Status == StatusError {
				t.Errorf("control %s: resource %s: %s", o.Control.ID, r.Resource, r.Reason)
			}
			got[o.Control.ID][r.Resource] = r
		}
	}

	tests := []struct {
		fixture  string
		control  string
		resource string
		want     string
	}{
		{"storage_bucket_world_readable", "gcp_storage_bucket_not_public", "//storage.googleapis.com/my-test-bucket", StatusFail},
		{"storage_bucket_world_readable", "gcp_storage_bucket_not_public", "//storage.googleapis.com/my-second-test-bucket", StatusFail},
		{"storage_bucket_world_readable", "gcp_storage_bucket_not_public", "//storage.googleapis.com/my-third-test-bucket", StatusPass},
		{"storage_bucket_policy_only", "gcp_storage_bucket_uniform_access_enabled", "//storage.googleapis.com/my-storage-bucket-with-bucketpolicyonly", StatusPass},
		{"storage_bucket_policy_only", "gcp_storage_bucket_uniform_access_enabled", "//storage.googleapis.com/my-storage-bucketwithuniformbucketlevelaccess", StatusPass},
		{"storage_bucket_policy_only", "gcp_storage_bucket_uniform_access_enabled", "//storage.googleapis.com/my-storage-bucket-with-no-bucketpolicyonly-data", StatusFail},
		{"bigquery_dataset_world_readable", "gcp_bigquery_dataset_not_public", "//bigquery.googleapis.com/projects/test-project/datasets/world-readable-allUsers", StatusFail},
		{"bigquery_dataset_world_readable", "gcp_bigquery_dataset_not_public", "//bigquery.googleapis.com/projects/test-project/datasets/world-readable-allAuthenticatedUsers", StatusFail},
		{"bigquery_dataset_world_readable", "gcp_bigquery_dataset_not_public", "//bigquery.googleapis.com/projects/test-project/datasets/world-readable-both", StatusFail},
		{"bigquery_dataset_world_readable", "gcp_bigquery_dataset_not_public", "//bigquery.googleapis.com/projects/test-project/datasets/not-world-readable", StatusPass},
		{"sql_world_readable", "gcp_sql_instance_no_public_authorized_networks", "//cloudsql.googleapis.com/projects/noble-history-87417/instances/authorized-networks-0", StatusFail},
		{"sql_ssl", "gcp_sql_instance_ssl_required", "//cloudsql.googleapis.com/projects/test-project/instances/sql-instance-with-ssl", StatusPass},
		{"sql_ssl", "gcp_sql_instance_ssl_required", "//cloudsql.googleapis.com/projects/test-project/instances/sql-instance-without-ssl", StatusFail},
		{"sql_public_ip", "gcp_sql_instance_no_public_ip", "//cloudsql.googleapis.com/projects/test-project/instances/public-sql", StatusFail},
		{"sql_public_ip", "gcp_sql_instance_no_public_ip", "//cloudsql.googleapis.com/projects/test-project/instances/private-sql", StatusPass},
		{"restricted_firewall_rules", "gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-source-0", StatusFail},
		{"restricted_firewall_rules", "gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-target-0", StatusFail},
		{"restricted_firewall_rules", "gcp_compute_firewall_rdp_restricted", "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-target-0", StatusFail},
		// A disabled rule from 0.0.0.0/0 to every port.
		{"restricted_firewall_rules", "gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-source-1", StatusPass},
		{"network_restrict_default", "gcp_compute_network_not_default", "//compute.googleapis.com/projects/fake-project/global/networks/default", StatusFail},
		{"network_restrict_default", "gcp_compute_network_not_default", "//compute.googleapis.com/projects/fake-project/global/networks/test-network", StatusPass},
		{"network_enable_flow_logs", "gcp_compute_subnetwork_flow_logs_enabled", "//compute.googleapis.com/projects/pso-cicd8/regions/us-west1/subnetworks/both_false", StatusFail},
		{"compute_ip_forward", "gcp_compute_instance_ip_forwarding_disabled", "//compute.googleapis.com/projects/test-project/zones/us-east1-b/instances/vm-ip-forward", StatusFail},
		{"compute_ip_forward", "gcp_compute_instance_ip_forwarding_disabled", "//compute.googleapis.com/projects/test-project/zones/us-east1-c/instances/vm-cant-forward", StatusPass},
		{"dnssec_prevent_rsasha1", "gcp_dns_managed_zone_ksk_not_rsasha1", "//dns.googleapis.com/projects/186783260185/managedZones/bad-key-signing", StatusFail},
		{"dnssec_prevent_rsasha1", "gcp_dns_managed_zone_zsk_not_rsasha1", "//dns.googleapis.com/projects/186783260185/managedZones/bad-zone-signing", StatusFail},
		{"dnssec_prevent_rsasha1", "gcp_dns_managed_zone_ksk_not_rsasha1", "//dns.googleapis.com/projects/186783260185/managedZones/bad-zone-signing", StatusPass},
		{"bigquery_cmek", "gcp_bigquery_table_cmek", "//bigquery.googleapis.com/projects/anand-spanner/datasets/anand_bq_test_3/tables/test_cmek", StatusPass},
		{"bigquery_cmek", "gcp_bigquery_table_cmek", "//bigquery.googleapis.com/projects/anand-spanner/datasets/anand_bq_test_3/tables/test_google_encryption_key", StatusFail},
		{"dataproc_location", "gcp_dataproc_cluster_cmek", "//dataproc.googleapis.com/projects/my-test-project/regions/europe-west2/clusters/cluster-320f", StatusFail},
		{"gcp_iam_restrict_service_account_key_age", "gcp_iam_service_account_key_rotated_90_days",
			"//iam.googleapis.com/projects/forseti-system-test/serviceAccounts/111111-compute@developer.gserviceaccount.com/keys/testkeyageover100days", StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+filepath.Base(tt.resource), func(t *testing.T) {
			results, ok := got[tt.control]
			if !ok {
				t.Fatalf("control %s did not run", tt.control)
			}
			r, ok := results[tt.resource]
			if !ok {
				t.Fatalf("%s: no result for %s", tt.control, tt.resource)
			}
			if r.Status != tt.want {
				t.Errorf("%s: got %s (%s), want %s", tt.control, r.Status, r.Reason, tt.want)
			}
		})
	}
}
