package aws

import "fmt"

// bucketSpec fills aws_s3_bucket. Bucket 0 is the organization trail's log
// bucket in account 0 and slot 1 of each account holds its own trail logs.
// 30% of buckets have no policy. The policies of the others have two or
// three statements, and most deny requests without TLS. 85% block public
// access themselves.
func (g *generator) bucketSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_s3_bucket", query: fmt.Sprintf(`
		SELECT
			account_id, region, arn, name,
			syn_ago(30 + syn_roll(i, 601, 3000)) AS creation_date,
			CASE
				WHEN policy_roll < 305 THEN NULL
				WHEN policy_roll < 850 AND syn_roll(i, 602, 100) < 30 THEN json_object('Version', '2012-10-17', 'Statement', json_array(allow_statement, tls_statement, replication_statement))
				WHEN policy_roll < 850 THEN json_object('Version', '2012-10-17', 'Statement', json_array(allow_statement, tls_statement))
				WHEN policy_roll < 900 THEN json_object('Version', '2012-10-17', 'Statement', json_array(allow_statement, get_only_tls_statement))
				WHEN policy_roll < 950 THEN json_object('Version', '2012-10-17', 'Statement', json_array(objects_tls_statement, allow_statement))
				ELSE json_object('Version', '2012-10-17', 'Statement', json_array(allow_statement, delete_guard_statement))
			END AS policy,
			CASE WHEN policy_roll < 300 THEN false WHEN policy_roll < 305 THEN NULL ELSE true END AS has_policy,
			CASE WHEN policy_roll >= 305 THEN syn_roll(i, 603, 1000) < 3 END AS policy_status_is_public,
			json_object('Owner', json_object('ID', md5(account_id)), 'Grants', json_array(json_object(
				'Grantee', json_object('Type', 'CanonicalUser', 'ID', md5(account_id)), 'Permission', 'FULL_CONTROL'))) AS acl,
			syn_roll(i, 604, 1000) < 5 AS acl_grants_public,
			block_roll < 85 AS public_access_block_configured,
			block_roll < 85 AS block_public_acls,
			block_roll < 85 AS ignore_public_acls,
			block_roll < 75 AS block_public_policy,
			block_roll < 75 AS restrict_public_buckets,
			json_object('Rules', json_array(json_object(
				'ApplyServerSideEncryptionByDefault', json_object('SSEAlgorithm', algorithm, 'KMSMasterKeyID', kms_key),
				'BucketKeyEnabled', algorithm = 'aws:kms'))) AS server_side_encryption,
			algorithm AS default_encryption_algorithm,
			kms_key AS default_encryption_kms_key_id,
			CASE WHEN syn_roll(i, 605, 100) < 55 THEN 'Enabled' WHEN syn_roll(i, 605, 100) < 65 THEN 'Suspended' END AS versioning_status,
			CASE WHEN syn_roll(i, 605, 100) < 65 THEN 'Disabled' END AS mfa_delete,
			CASE WHEN i = 0 OR syn_roll(i, 606, 100) < 40 THEN 'stance-bench-' || account_id || '-access-logs' END AS logging_target_bucket,
			CASE WHEN i = 0 OR syn_roll(i, 606, 100) < 40 THEN 'logs/' || name || '/' END AS logging_target_prefix,
			syn_roll(i, 607, 100) < 3 AS object_lock_enabled,
			CASE WHEN syn_roll(i, 607, 100) < 3 THEN json_object('ObjectLockEnabled', 'Enabled', 'Rule', json_object(
				'DefaultRetention', json_object('Mode', 'GOVERNANCE', 'Days', 30))) END AS object_lock_configuration,
			syn_tags(i, 608) AS tags
		FROM (
			SELECT
				*,
				json_object('Sid', 'AllowAppRead', 'Effect', 'Allow',
					'Principal', json_object('AWS', json_array(
						'arn:aws:iam::' || account_id || ':role/' || syn_role_name(syn_g_row(account_index, 2 + syn_roll(i, 609, %[2]d))),
						'arn:aws:iam::' || account_id || ':root')),
					'Action', json_array('s3:GetObject', 's3:ListBucket'),
					'Resource', json_array(arn, arn || '/*')) AS allow_statement,
				json_object('Sid', 'DenyInsecureTransport', 'Effect', 'Deny', 'Principal', '*', 'Action', 's3:*',
					'Resource', json_array(arn, arn || '/*'),
					'Condition', json_object('Bool', json_object('aws:SecureTransport', 'false'))) AS tls_statement,
				-- Denies plain HTTP for reads only, which leaves writes open.
				json_object('Sid', 'DenyInsecureReads', 'Effect', 'Deny', 'Principal', '*', 'Action', 's3:GetObject',
					'Resource', arn || '/*',
					'Condition', json_object('Bool', json_object('aws:SecureTransport', 'false'))) AS get_only_tls_statement,
				json_object('Effect', 'Deny', 'Principal', json_object('AWS', '*'), 'Action', json_array('s3:*'),
					'Resource', arn || '/*',
					'Condition', json_object('Bool', json_object('aws:SecureTransport', 'false'))) AS objects_tls_statement,
				json_object('Sid', 'ProtectBucket', 'Effect', 'Deny', 'Principal', '*', 'Action', 's3:DeleteBucket', 'Resource', arn,
					'Condition', json_object('StringNotLike', json_object('aws:PrincipalArn', 'arn:aws:iam::' || account_id || ':role/admin-*'))) AS delete_guard_statement,
				json_object('Sid', 'AllowReplication', 'Effect', 'Allow',
					'Principal', json_object('AWS', 'arn:aws:iam::' || syn_account(0) || ':role/s3-replication'),
					'Action', json_array('s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'),
					'Resource', arn || '/*') AS replication_statement
			FROM (
				SELECT
					i,
					syn_g_account_index(i) AS account_index,
					syn_g_account(i) AS account_id,
					CASE WHEN i = 0 THEN syn_region(0) ELSE syn_region(syn_roll(i, 610, %[3]d)) END AS region,
					syn_bucket_name(i) AS name,
					'arn:aws:s3:::' || syn_bucket_name(i) AS arn,
					CASE WHEN i = 0 THEN 500 ELSE syn_roll(i, 611, 1000) END AS policy_roll,
					syn_roll(i, 612, 100) AS block_roll,
					CASE WHEN syn_roll(i, 613, 100) < 70 THEN 'AES256' ELSE 'aws:kms' END AS algorithm,
					CASE WHEN syn_roll(i, 613, 100) >= 70
						THEN 'arn:aws:kms:' || syn_region(0) || ':' || syn_g_account(i) || ':key/' || syn_uuid(i, 614) END AS kms_key
				FROM range(%[1]d) t(i)
			)
		)`, l.buckets*l.accounts, max(1, l.roles-2), l.regions)}
}

// accountPublicAccessBlockSpec fills aws_s3_account_public_access_block:
// 70% of accounts block public access, most of them with all four
// settings.
func (g *generator) accountPublicAccessBlockSpec() tableSpec {
	return tableSpec{table: "aws_s3_account_public_access_block", query: fmt.Sprintf(`
		SELECT
			syn_account(i) AS account_id, 'global' AS region,
			configured,
			configured AS block_public_acls,
			configured AS ignore_public_acls,
			configured AND complete AS block_public_policy,
			configured AND complete AS restrict_public_buckets,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (SELECT i, syn_roll(i, 620, 100) < 70 AS configured, syn_roll(i, 621, 100) < 85 AS complete FROM range(%d) t(i))`,
		g.layout.accounts)}
}
