package demo

// Finding is one misconfiguration planted in the demo world on purpose.
type Finding struct {
	// Account is the 12-digit ID of the account that holds the resource.
	Account string
	// Region is the value of the row's region column: the resource's
	// region, or "global" for account-wide IAM and S3 settings.
	Region string
	// Table is the stance table whose rows show the problem.
	Table string
	// Resource names the resource: a name, an ID, or both.
	Resource string
	// Problem describes what is wrong, in one or two sentences.
	Problem string
	// Query is a DuckDB query on the modelled columns that returns the
	// rows showing the problem, account_id and region first. In the demo
	// world it returns exactly one row, the planted one, so it can be
	// shown as a command to try.
	Query string
}

// Planted returns the misconfigurations planted in the demo world, prod
// first, then dev.
//
// The list is not every problem a benchmark finds in the demo. Settings
// that AWS creates the same way in every account are kept as AWS creates
// them in prod and dev, and are not listed. So their default network ACLs
// allow all traffic, their default security groups allow traffic among
// their members, and their OrganizationAccountAccessRole has
// AdministratorAccess, as has the admins group of prod. The security
// account shows the hardened defaults.
// Controls that the security account runs for the whole organisation, such
// as the CloudWatch alarms on the organisation trail, are not listed
// either, though a check per account does not see them in prod and dev.
//
// NOTE: the world's timestamps are fixed, up to CollectedAt. Checks that
// compare them with the current time, such as the age of access keys or
// the last use of a password, find more problems as the demo ages, unless
// they evaluate at CollectedAt.
func Planted() []Finding {
	return []Finding{
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_s3_bucket",
			Resource: "acme-payments-test-exports",
			Problem: "A deployment pipeline made the bucket public: its policy lets anyone (Principal \"*\") call s3:GetObject " +
				"without a condition, and neither the bucket nor the account has a public access block. " +
				"Its tags say it holds card-number-like test files (data-classification: pci). " +
				"Unlike the other buckets, it also accepts requests over plain HTTP.",
			Query: `SELECT account_id, region, name, tags['data-classification'] AS classification FROM aws_s3_bucket ` +
				`WHERE policy_status_is_public AND NOT public_access_block_configured`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_s3_account_public_access_block",
			Resource: "account " + ProdAccountID,
			Problem:  "The account has no S3 public access block, so nothing stops a bucket policy or ACL from making a bucket public.",
			Query:    `SELECT account_id, region, configured FROM aws_s3_account_public_access_block WHERE NOT configured`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_ec2_instance",
			Resource: "i-0a1b2c3d4e5f60718 (legacy-bastion)",
			Problem: "An internet-facing instance with a public IP accepts IMDSv1 (HttpTokens optional), " +
				"so a server-side request forgery can read its role credentials.",
			Query: `SELECT account_id, region, instance_id, public_ip_address FROM aws_ec2_instance ` +
				`WHERE metadata_options_http_tokens = 'optional' AND public_ip_address IS NOT NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_ec2_instance",
			Resource: "i-0a1b2c3d4e5f60718 (legacy-bastion)",
			Problem:  "The instance has no IAM role, so software on it that calls AWS needs long-lived keys stored on the instance.",
			Query:    `SELECT account_id, region, instance_id, key_name FROM aws_ec2_instance WHERE iam_instance_profile_arn IS NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_vpc_security_group_rule",
			Resource: "sg-0b5500000000022aa (bastion-ssh)",
			Problem:  "The bastion's security group allows SSH (tcp 22) from 0.0.0.0/0.",
			Query: `SELECT account_id, region, group_id, group_name, cidr_ipv4 FROM aws_vpc_security_group_rule ` +
				`WHERE NOT is_egress AND is_open_to_world AND (ip_protocol = '-1' OR (ip_protocol = 'tcp' AND from_port <= 22 AND 22 <= to_port))`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_role",
			Resource: "vendor-integration-admin",
			Problem: "An inline policy allows every action on every resource, and account 999988887777 may assume the role " +
				"without an sts:ExternalId condition.",
			Query: `SELECT account_id, region, role_name, assume_role_policy FROM aws_iam_role ` +
				`WHERE CAST(inline_policies AS VARCHAR) LIKE '%"Action":"*"%"Resource":"*"%' ` +
				`AND contains(CAST(assume_role_policy AS VARCHAR), '999988887777') ` +
				`AND NOT contains(CAST(assume_role_policy AS VARCHAR), 'sts:ExternalId')`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_kms_key",
			Resource: "alias/payments-legacy",
			Problem:  "A customer managed key without automatic rotation.",
			Query: `SELECT account_id, region, key_id, aliases FROM aws_kms_key ` +
				`WHERE key_manager = 'CUSTOMER' AND NOT rotation_enabled`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_rds_db_instance",
			Resource: "payments-reporting",
			Problem:  "The database is publicly accessible and its storage is not encrypted.",
			Query: `SELECT account_id, region, db_instance_identifier, endpoint_address FROM aws_rds_db_instance ` +
				`WHERE publicly_accessible AND NOT storage_encrypted`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_vpc_security_group_rule",
			Resource: "sg-0d8b00000000054a3 (payments-reporting-db)",
			Problem:  "The public database's security group allows PostgreSQL (tcp 5432) from 0.0.0.0/0.",
			Query: `SELECT account_id, region, group_id, group_name, cidr_ipv4 FROM aws_vpc_security_group_rule ` +
				`WHERE NOT is_egress AND is_open_to_world AND (ip_protocol = '-1' OR (ip_protocol = 'tcp' AND from_port <= 5432 AND 5432 <= to_port))`,
		},
		{
			Account:  ProdAccountID,
			Region:   "eu-west-1",
			Table:    "aws_cloudtrail_trail",
			Resource: "prod-audit",
			Problem: "The account's own trail records eu-west-1 only (IsMultiRegionTrail false), " +
				"does not validate its log files, is not encrypted with KMS and sends nothing to CloudWatch Logs. " +
				"It writes into acme-prod-access-logs, a bucket without server access logging.",
			Query: `SELECT account_id, region, name, home_region FROM aws_cloudtrail_trail ` +
				`WHERE NOT is_multi_region_trail`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_ec2_instance",
			Resource: "i-0a1b2c3d4e5f60718 (legacy-bastion)",
			Problem:  "The instance has no owner tag, so nobody answers for it.",
			Query:    `SELECT account_id, region, instance_id, tags FROM aws_ec2_instance WHERE tags['owner'] IS NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_rds_db_instance",
			Resource: "payments-reporting",
			Problem:  "The database has no owner tag.",
			Query:    `SELECT account_id, region, db_instance_identifier, tags FROM aws_rds_db_instance WHERE tags['owner'] IS NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_ebs_volume",
			Resource: "vol-0a1b2c3d4e5f60718 (root volume of legacy-bastion)",
			Problem:  "The volume has no owner tag.",
			Query:    `SELECT account_id, region, volume_id, attached_instance_ids FROM aws_ebs_volume WHERE tags['owner'] IS NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "us-east-1",
			Table:    "aws_s3_bucket",
			Resource: "acme-payments-test-exports",
			Problem:  "The public bucket has no owner tag, only the tag created-by: deploy-pipeline.",
			Query:    `SELECT account_id, region, name, tags FROM aws_s3_bucket WHERE tags['owner'] IS NULL`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_credential_report",
			Resource: "<root_account>",
			Problem:  "The root user has an active access key, used in the last week.",
			Query: `SELECT account_id, region, "user", access_key_1_last_used_date FROM aws_iam_credential_report ` +
				`WHERE "user" = '<root_account>' AND (access_key_1_active OR access_key_2_active)`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_access_key",
			Resource: "AKIADEMO0PRODDEPLOY1 (deploy-pipeline)",
			Problem:  "The deployment pipeline's active access key was created on 2023-01-15 and never rotated.",
			Query: `SELECT account_id, region, access_key_id, create_date FROM aws_iam_access_key ` +
				`WHERE status = 'Active' AND create_date < TIMESTAMPTZ '2025-03-01 12:00:00+00' - INTERVAL 90 DAY`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_user",
			Resource: "bob.contractor",
			Problem:  "A user who signs in to the console with a password has no MFA device.",
			Query:    `SELECT account_id, region, user_name, password_last_used FROM aws_iam_user WHERE login_profile AND NOT mfa_enabled`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_server_certificate",
			Resource: "payments-legacy-2023",
			Problem:  "An IAM server certificate expired on 2024-07-02 and is still stored.",
			Query:    `SELECT account_id, region, server_certificate_name, expiration FROM aws_iam_server_certificate WHERE expiration < now()`,
		},
		{
			Account:  ProdAccountID,
			Region:   "global",
			Table:    "aws_iam_password_policy",
			Resource: "account " + ProdAccountID,
			Problem:  "The account has no password policy, so console passwords of any length are accepted.",
			Query:    `SELECT account_id, region, "exists" FROM aws_iam_password_policy WHERE NOT "exists"`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_vpc_security_group_rule",
			Resource: "sg-0c3300000000033d9 (rdp-anywhere)",
			Problem:  "A security group allows RDP (tcp 3389) from the whole IPv6 internet (::/0).",
			Query: `SELECT account_id, region, group_id, group_name, cidr_ipv6 FROM aws_vpc_security_group_rule ` +
				`WHERE NOT is_egress AND is_open_to_world AND (ip_protocol = '-1' OR (ip_protocol = 'tcp' AND from_port <= 3389 AND 3389 <= to_port))`,
		},
		{
			Account:  DevAccountID,
			Region:   "global",
			Table:    "aws_iam_password_policy",
			Resource: "account " + DevAccountID,
			Problem:  "The password policy accepts passwords of 10 characters and prevents the reuse of the last 5 only.",
			Query: `SELECT account_id, region, minimum_password_length, password_reuse_prevention FROM aws_iam_password_policy ` +
				`WHERE minimum_password_length < 14 OR password_reuse_prevention < 24`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_ec2_instance",
			Resource: "i-0b7c8d9e0f1a2b3c4 (dev-build-runner)",
			Problem:  "An instance without a public IP accepts IMDSv1 (HttpTokens optional).",
			Query: `SELECT account_id, region, instance_id, private_ip_address FROM aws_ec2_instance ` +
				`WHERE metadata_options_http_tokens = 'optional' AND public_ip_address IS NULL`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_ebs_volume",
			Resource: "vol-0f00dbadc0ffee123 (dev-scratch-data)",
			Problem:  "An EBS volume is not encrypted.",
			Query:    `SELECT account_id, region, volume_id, size FROM aws_ebs_volume WHERE NOT encrypted`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_ebs_snapshot",
			Resource: "snap-0d3e4f5a6b7c8d9e0",
			Problem:  "The snapshot of the unencrypted volume is not encrypted either.",
			Query:    `SELECT account_id, region, snapshot_id, volume_id FROM aws_ebs_snapshot WHERE NOT encrypted`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_efs_file_system",
			Resource: "fs-0d1e2f3a4b5c6d7e8 (build-cache)",
			Problem:  "The file system is not encrypted at rest.",
			Query:    `SELECT account_id, region, file_system_id, name FROM aws_efs_file_system WHERE NOT encrypted`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_ebs_encryption_by_default",
			Resource: "region us-east-1",
			Problem:  "EBS encryption by default is off, so new volumes are created unencrypted unless their creator asks.",
			Query:    `SELECT account_id, region, enabled FROM aws_ebs_encryption_by_default WHERE NOT enabled`,
		},
		{
			Account:  DevAccountID,
			Region:   "us-east-1",
			Table:    "aws_lambda_function",
			Resource: "dev-orders-sync",
			Problem: "The function keeps a database password in an environment variable (DB_PASSWORD). " +
				"stance stores the variable names only; the values are redacted.",
			Query: `SELECT account_id, region, function_name, environment_variable_keys FROM aws_lambda_function ` +
				`WHERE list_contains(environment_variable_keys, 'DB_PASSWORD')`,
		},
		{
			Account:  DevAccountID,
			Region:   "eu-west-1",
			Table:    "aws_guardduty_detector",
			Resource: "region eu-west-1",
			Problem:  "GuardDuty is not enabled in the region: it has no detector.",
			Query:    `SELECT account_id, region, enabled FROM aws_guardduty_detector WHERE NOT enabled`,
		},
		{
			Account:  DevAccountID,
			Region:   "eu-west-1",
			Table:    "aws_config_configuration_recorder",
			Resource: "region eu-west-1",
			Problem:  "AWS Config records us-east-1 only: eu-west-1 has no configuration recorder.",
			Query: `SELECT p.account_id, p.region FROM stance_coverage p ` +
				`WHERE p.table_name = 'aws_config_configuration_recorder' AND p.status = 'ok' ` +
				`AND NOT EXISTS (SELECT 1 FROM aws_config_configuration_recorder r WHERE r.account_id = p.account_id AND r.region = p.region)`,
		},
		{
			Account:  DevAccountID,
			Region:   "eu-west-1",
			Table:    "aws_vpc_flow_log",
			Resource: "vpc-0d32defa00000002 (default VPC)",
			Problem:  "The VPC has no flow log, so its traffic leaves no record.",
			Query: `SELECT v.account_id, v.region, v.vpc_id FROM aws_vpc v ` +
				`WHERE NOT EXISTS (SELECT 1 FROM aws_vpc_flow_log f WHERE f.account_id = v.account_id AND f.resource_id = v.vpc_id)`,
		},
		{
			Account:  DevAccountID,
			Region:   "eu-west-1",
			Table:    "aws_securityhub_hub",
			Resource: "region eu-west-1",
			Problem:  "Security Hub is not enabled in the region.",
			Query:    `SELECT account_id, region, enabled FROM aws_securityhub_hub WHERE NOT enabled`,
		},
		{
			Account:  DevAccountID,
			Region:   "eu-west-1",
			Table:    "aws_accessanalyzer_analyzer",
			Resource: "region eu-west-1",
			Problem:  "The region has no IAM Access Analyzer.",
			Query: `SELECT p.account_id, p.region FROM stance_coverage p ` +
				`WHERE p.table_name = 'aws_accessanalyzer_analyzer' AND p.status = 'ok' ` +
				`AND NOT EXISTS (SELECT 1 FROM aws_accessanalyzer_analyzer a WHERE a.account_id = p.account_id AND a.region = p.region)`,
		},
	}
}
