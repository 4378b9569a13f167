// Package gcpworld holds the built-in Google Cloud organisation that
// `stance demo` imports next to the AWS estate: Cloud Asset Inventory
// assets in the newline-delimited JSON that `gcloud asset export` writes,
// embedded in the binary, and the list of misconfigurations planted in it.
//
// The organisation acme-example.com (684512093746) has two folders,
// production and non-production, and three projects: acme-shop-prod and
// acme-analytics under production, acme-shop-dev under non-production.
// Each asset carries its resource data and, where the resource has one,
// its IAM policy, as one export record with both contents.
package gcpworld

import (
	_ "embed"
	"time"
)

// world is the export file of the demo organisation.
//
//go:embed world.ndjson
var world []byte

// FileName is the name under which the demo imports the world, for
// messages and sync sources.
const FileName = "gcp-demo-world.ndjson"

// World returns the demo organisation as export records, one JSON object a
// line.
func World() []byte { return world }

// Ids of the demo organisation.
const (
	OrganizationID  = "684512093746"
	ProdProjectID   = "acme-shop-prod"
	DevProjectID    = "acme-shop-dev"
	DataProjectID   = "acme-analytics"
	ProdProjectNum  = "401928374650"
	DevProjectNum   = "518273645091"
	DataProjectNum  = "629384756102"
	ProdFolderID    = "310457812563"
	NonProdFolderID = "920364715208"
)

// CollectedAt returns the moment the world describes, the same as the AWS
// demo estate's: 2025-03-01 12:00 UTC. Every asset's update_time is before
// it.
func CollectedAt() time.Time {
	return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
}

// Finding is one misconfiguration planted in the world on purpose.
type Finding struct {
	// Control is the id of the CIS Google Cloud control that must fail.
	Control string
	// Resource is the failing result's resource: the asset's full name.
	Resource string
	// Problem is a one-sentence description of what is wrong.
	Problem string
}

// Planted returns the misconfigurations planted in the world. Each must
// become a failing result of its control. Other controls may fail on the
// same resources too, because a real project rarely breaks one rule only.
func Planted() []Finding {
	return []Finding{
		{"gcp_storage_bucket_not_public", "//storage.googleapis.com/acme-shop-prod-assets",
			"allUsers may read every object: the bucket serves the shop's images, but nothing stops a confidential file landing there."},
		{"gcp_storage_bucket_not_public", "//storage.googleapis.com/acme-shop-dev-scratch",
			"Any Google account may read objects under shared/: the binding has a condition, which narrows the objects but not the readers."},
		{"gcp_storage_bucket_uniform_access_enabled", "//storage.googleapis.com/acme-shop-dev-scratch",
			"Object ACLs are still in force, so a single object can be made public without any IAM change."},
		{"gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/acme-shop-prod/global/firewalls/prod-allow-ssh-anywhere",
			"Port 22 is open to 0.0.0.0/0 on every instance of prod-vpc."},
		{"gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/acme-shop-dev/global/firewalls/dev-allow-bastion-ssh",
			"Ports 20-25 are open to 0.0.0.0/0; the target tag bastion picks the instances but not who may connect."},
		{"gcp_compute_firewall_rdp_restricted", "//compute.googleapis.com/projects/acme-shop-dev/global/firewalls/default-allow-rdp",
			"The default network's rule opens port 3389 to 0.0.0.0/0."},
		{"gcp_compute_firewall_ssh_restricted", "//compute.googleapis.com/projects/acme-analytics/global/firewalls/analytics-allow-all-from-sa",
			"Every protocol and port is open to 0.0.0.0/0 on the instances that run as etl-runner."},
		{"gcp_compute_network_not_default", "//compute.googleapis.com/projects/acme-shop-dev/global/networks/default",
			"The dev project still has the auto-mode default network and its open firewall rules."},
		{"gcp_compute_instance_no_default_sa_full_access", "//compute.googleapis.com/projects/acme-shop-prod/zones/us-central1-a/instances/shop-web-1",
			"The public web server runs as the default compute service account, an editor of the project, with the cloud-platform scope."},
		{"gcp_compute_instance_no_default_service_account", "//compute.googleapis.com/projects/acme-shop-dev/zones/us-central1-a/instances/dev-box",
			"The dev box runs as the default compute service account."},
		{"gcp_compute_instance_serial_port_disabled", "//compute.googleapis.com/projects/acme-shop-dev/zones/us-central1-a/instances/dev-box",
			"The interactive serial console is enabled and accepts connections from any address."},
		{"gcp_compute_instance_ip_forwarding_disabled", "//compute.googleapis.com/projects/acme-shop-dev/zones/us-central1-f/instances/dev-nat-gateway",
			"The hand-built NAT gateway forwards packets for other addresses."},
		{"gcp_sql_instance_no_public_authorized_networks", "//cloudsql.googleapis.com/projects/acme-shop-prod/instances/shop-orders-db",
			"A vendor's temporary access entry authorizes 0.0.0.0/0 on the orders database's public address."},
		{"gcp_sql_instance_ssl_required", "//cloudsql.googleapis.com/projects/acme-shop-prod/instances/shop-orders-db",
			"The orders database accepts unencrypted connections."},
		{"gcp_sql_instance_automated_backups_enabled", "//cloudsql.googleapis.com/projects/acme-shop-dev/instances/dev-scratch-db",
			"The dev database has no automated backups."},
		{"gcp_kms_crypto_key_rotation_90_days", "//cloudkms.googleapis.com/projects/acme-shop-prod/locations/us-central1/keyRings/shop-keys/cryptoKeys/legacy-token-key",
			"The key has no rotation period, so its first version protects data for ever."},
		{"gcp_kms_crypto_key_rotation_90_days", "//cloudkms.googleapis.com/projects/acme-analytics/locations/europe-west1/keyRings/analytics-keys/cryptoKeys/exports-key",
			"The key rotates once a year (31536000s), longer than 90 days."},
		{"gcp_kms_crypto_key_not_public", "//cloudkms.googleapis.com/projects/acme-analytics/locations/europe-west1/keyRings/analytics-keys/cryptoKeys/partner-share-key",
			"Any Google account may encrypt with the key shared with a partner."},
		{"gcp_bigquery_dataset_not_public", "//bigquery.googleapis.com/projects/acme-analytics/datasets/public_metrics",
			"Any Google account may read the dataset's tables."},
		{"gcp_iam_service_account_no_admin_roles", "//cloudresourcemanager.googleapis.com/projects/" + ProdProjectNum,
			"The CI deployer service account is an owner of the prod project."},
		{"gcp_iam_no_project_level_service_account_user", "//cloudresourcemanager.googleapis.com/projects/" + DevProjectNum,
			"lee@acme-example.com may act as every service account of the dev project."},
		{"gcp_iam_service_account_key_rotated_90_days", "//iam.googleapis.com/projects/acme-shop-prod/serviceAccounts/ci-deployer@acme-shop-prod.iam.gserviceaccount.com/keys/6f1e0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
			"The CI deployer's downloaded key dates from October 2023."},
		{"gcp_dns_managed_zone_dnssec_enabled", "//dns.googleapis.com/projects/acme-shop-dev/managedZones/dev-public",
			"The public dev zone is not signed."},
	}
}
