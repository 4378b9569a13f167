package aws

import "fmt"

// instanceSpec fills aws_ec2_instance. 75% of instances have the instance
// profile of an IAM role of their account, 3% a profile that no role uses,
// and the rest none. 55% require IMDSv2.
func (g *generator) instanceSpec() tableSpec {
	l := g.layout
	profileRoles := (l.roles + 2) / 4
	return tableSpec{table: "aws_ec2_instance", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:ec2:' || region || ':' || account_id || ':instance/' || instance_id AS arn,
			instance_id,
			syn_pick(['t3.micro', 't3.medium', 'm5.large', 'm6i.xlarge', 'c6g.large', 'r6i.2xlarge', 'm7g.medium'], i, 201) AS instance_type,
			state,
			syn_id('ami', syn_roll(i, 202, 40), 7) AS image_id,
			syn_ago(syn_roll(i, 203, 900)) AS launch_time,
			availability_zone,
			syn_vpc_id(vpc) AS vpc_id,
			syn_subnet_id(vpc, syn_roll(i, 204, 4)) AS subnet_id,
			'10.' || (syn_r_slot(vpc) %% 250) || '.' || syn_roll(i, 205, 256) || '.' || (syn_roll(i, 206, 254) + 1) AS private_ip_address,
			CASE WHEN public THEN public_ip END AS public_ip_address,
			CASE WHEN public THEN 'ec2-' || replace(public_ip, '.', '-') || '.compute-1.amazonaws.com' END AS public_dns_name,
			CASE WHEN syn_roll(i, 210, 100) < 40 THEN NULL ELSE 'deploy-' || syn_roll(i, 211, 5) END AS key_name,
			[syn_sg_id(syn_r_sibling(i, %[2]d + syn_roll(i, 212, %[3]d)))] AS security_group_ids,
			profile AS iam_instance_profile_arn,
			CASE WHEN syn_roll(i, 213, 100) < 55 THEN 'required' ELSE 'optional' END AS metadata_options_http_tokens,
			CASE WHEN syn_roll(i, 214, 100) < 2 THEN 'disabled' ELSE 'enabled' END AS metadata_options_http_endpoint,
			CASE WHEN syn_roll(i, 215, 100) < 70 THEN 2 ELSE 1 END AS metadata_options_http_put_response_hop_limit,
			CASE WHEN syn_roll(i, 216, 100) < 20 THEN 'enabled' ELSE 'disabled' END AS monitoring_state,
			syn_roll(i, 217, 100) < 80 AS ebs_optimized,
			CASE WHEN syn_roll(i, 218, 100) < 10 THEN 'windows' END AS platform,
			CASE WHEN syn_roll(i, 219, 100) < 30 THEN 'arm64' ELSE 'x86_64' END AS architecture,
			'ebs' AS root_device_type,
			json_array(json_object('DeviceName', '/dev/xvda', 'Ebs', json_object(
				'VolumeId', syn_id('vol', i, 8), 'Status', 'attached', 'DeleteOnTermination', true,
				'AttachTime', strftime(syn_ago(syn_roll(i, 203, 900)), '%%Y-%%m-%%dT%%H:%%M:%%SZ')))) AS block_device_mappings,
			json_array(json_object('NetworkInterfaceId', syn_id('eni', i, 9), 'SubnetId', syn_subnet_id(vpc, syn_roll(i, 204, 4)),
				'VpcId', syn_vpc_id(vpc), 'Status', 'in-use', 'SourceDestCheck', true)) AS network_interfaces,
			map_concat(syn_tags(i, 220), MAP {'Name': syn_pick(['api', 'worker', 'web', 'batch', 'bastion', 'etl'], i, 223) || '-' || syn_r_slot(i)}) AS tags
		FROM (
			SELECT
				*,
				'54.' || syn_roll(i, 207, 256) || '.' || syn_roll(i, 208, 256) || '.' || syn_roll(i, 209, 256) AS public_ip,
				CASE
					WHEN profile_roll < 75 THEN 'arn:aws:iam::' || account_id || ':instance-profile/'
						|| syn_role_name(syn_g_row(syn_r_account_index(i), 1 + 4 * syn_roll(i, 222, %[4]d)))
					WHEN profile_roll < 78 THEN 'arn:aws:iam::' || account_id || ':instance-profile/legacy-profile'
				END AS profile
			FROM (
				SELECT
					i,
					syn_r_account(i) AS account_id,
					syn_r_region(i) AS region,
					syn_id('i', i, 10) AS instance_id,
					syn_r_region(i) || syn_pick(['a', 'b', 'c'], i, 224) AS availability_zone,
					syn_vpc_index(i) AS vpc,
					CASE WHEN syn_roll(i, 225, 100) < 85 THEN 'running' WHEN syn_roll(i, 225, 100) < 97 THEN 'stopped'
						WHEN syn_roll(i, 225, 100) < 99 THEN 'terminated' ELSE 'pending' END AS state,
					syn_roll(i, 226, 100) < 30 AS public,
					syn_roll(i, 221, 100) AS profile_roll
				FROM range(%[1]d) t(i)
			)
		)`, l.instances*l.partitions, l.vpcs, l.groups-l.vpcs, profileRoles)}
}

// databaseSpec fills aws_rds_db_instance: 6% publicly accessible, 85%
// encrypted, 80% with automatic minor version upgrades, and a few that do
// not report a setting.
func (g *generator) databaseSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_rds_db_instance", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:rds:' || region || ':' || account_id || ':db:' || identifier AS arn,
			identifier AS db_instance_identifier,
			engine,
			CASE WHEN engine LIKE '%%postgres%%' THEN syn_pick(['15.7', '16.3', '14.12'], i, 301) ELSE syn_pick(['8.0.36', '8.0.39', '10.11.8'], i, 301) END AS engine_version,
			syn_pick(['db.t4g.medium', 'db.r6g.large', 'db.m6i.xlarge', 'db.r7g.2xlarge'], i, 302) AS db_instance_class,
			CASE WHEN syn_roll(i, 303, 100) < 97 THEN 'available' ELSE 'stopped' END AS status,
			CASE WHEN syn_roll(i, 304, 1000) < 3 THEN NULL ELSE syn_roll(i, 304, 1000) < 63 END AS publicly_accessible,
			encrypted AS storage_encrypted,
			CASE WHEN encrypted THEN 'arn:aws:kms:' || region || ':' || account_id || ':key/' || syn_uuid(i, 305) END AS kms_key_id,
			syn_roll(i, 306, 100) < 40 AS multi_az,
			CASE WHEN syn_roll(i, 307, 1000) < 3 THEN NULL ELSE syn_roll(i, 307, 1000) < 803 END AS auto_minor_version_upgrade,
			syn_pick([0, 1, 7, 7, 14, 35], i, 308) AS backup_retention_period,
			syn_roll(i, 309, 100) < 50 AS deletion_protection,
			syn_roll(i, 310, 100) < 20 AS iam_database_authentication_enabled,
			identifier || '.c' || syn_roll(syn_r_account_index(i), 311, 1000000) || '.' || region || '.rds.amazonaws.com' AS endpoint_address,
			CASE WHEN engine LIKE '%%postgres%%' THEN 5432 ELSE 3306 END AS endpoint_port,
			syn_vpc_id(syn_vpc_index(i)) AS vpc_id,
			'db-subnets-' || syn_r_slot(syn_vpc_index(i)) AS db_subnet_group_name,
			[syn_sg_id(syn_r_sibling(i, %[2]d + syn_roll(i, 312, %[3]d)))] AS vpc_security_group_ids,
			'rds-ca-rsa2048-g1' AS ca_certificate_identifier,
			syn_ago(30 + syn_roll(i, 313, 1500)) AS instance_create_time,
			syn_tags(i, 314) AS tags
		FROM (
			SELECT
				i,
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				syn_pick(['orders', 'users', 'billing', 'analytics', 'inventory', 'sessions'], i, 315) || '-' || syn_r_slot(i) AS identifier,
				syn_pick(['postgres', 'mysql', 'aurora-postgresql', 'mariadb'], i, 316) AS engine,
				CASE WHEN syn_roll(i, 317, 1000) < 3 THEN NULL ELSE syn_roll(i, 317, 1000) < 853 END AS encrypted
			FROM range(%[1]d) t(i)
		)`, l.databases*l.partitions, l.vpcs, l.groups-l.vpcs)}
}

// fileSystemSpec fills aws_efs_file_system: 80% encrypted, 2% being
// deleted.
func (g *generator) fileSystemSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_efs_file_system", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:elasticfilesystem:' || region || ':' || account_id || ':file-system/' || file_system_id AS arn,
			file_system_id,
			syn_pick(['shared-home', 'media', 'build-cache', 'exports'], i, 401) || '-' || syn_r_slot(i) AS name,
			encrypted,
			CASE WHEN encrypted THEN 'arn:aws:kms:' || region || ':' || account_id || ':key/' || syn_uuid(i, 402) END AS kms_key_id,
			CASE WHEN syn_roll(i, 403, 100) < 90 THEN 'generalPurpose' ELSE 'maxIO' END AS performance_mode,
			CASE WHEN syn_roll(i, 404, 100) < 70 THEN 'bursting' WHEN syn_roll(i, 404, 100) < 90 THEN 'elastic' ELSE 'provisioned' END AS throughput_mode,
			CASE WHEN syn_roll(i, 404, 100) >= 90 THEN 128.0 END AS provisioned_throughput_in_mibps,
			CASE WHEN syn_roll(i, 405, 100) < 98 THEN 'available' ELSE 'deleting' END AS life_cycle_state,
			syn_roll(i, 406, 500000000000) AS size_in_bytes,
			1 + syn_roll(i, 407, 3) AS number_of_mount_targets,
			NULL AS availability_zone_name,
			syn_ago(10 + syn_roll(i, 408, 1200)) AS creation_time,
			CASE WHEN syn_roll(i, 409, 100) < 30 THEN json_object('Version', '2012-10-17', 'Statement', json_array(json_object(
				'Sid', 'EnforceTLS', 'Effect', 'Deny', 'Principal', json_object('AWS', '*'), 'Action', '*',
				'Condition', json_object('Bool', json_object('aws:SecureTransport', 'false'))))) END AS policy,
			syn_tags(i, 410) AS tags
		FROM (
			SELECT
				i,
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				syn_id('fs', i, 11) AS file_system_id,
				CASE WHEN syn_roll(i, 411, 1000) < 5 THEN NULL ELSE syn_roll(i, 411, 1000) < 805 END AS encrypted
			FROM range(%d) t(i)
		)`, l.fileSystems*l.partitions)}
}

// kmsKeySpec fills aws_kms_key with customer and AWS-managed keys, some
// disabled or pending deletion, some multi-Region replicas, and raw as
// DescribeKey returns it, because the rotation control reads the replica's
// primary key from raw.
func (g *generator) kmsKeySpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_kms_key", ownRaw: true, query: fmt.Sprintf(`
		SELECT
			* EXCLUDE (i, replica),
			json_object('KeyMetadata', json_object(
				'AWSAccountId', account_id, 'KeyId', key_id, 'Arn', arn, 'Enabled', enabled,
				'KeyManager', key_manager, 'KeySpec', key_spec, 'KeyState', key_state, 'KeyUsage', key_usage,
				'Origin', origin, 'Description', description, 'MultiRegion', multi_region,
				'CreationDate', strftime(creation_date, '%%Y-%%m-%%dT%%H:%%M:%%SZ'),
				'MultiRegionConfiguration', CASE WHEN multi_region THEN json_object(
					'MultiRegionKeyType', CASE WHEN replica THEN 'REPLICA' ELSE 'PRIMARY' END,
					'PrimaryKey', json_object('Arn', 'arn:aws:kms:' || syn_region(0) || ':' || account_id || ':key/' || key_id,
						'Region', syn_region(0))) END)) AS raw
		FROM (
			SELECT
				i, account_id, region,
				'arn:aws:kms:' || region || ':' || account_id || ':key/' || key_id AS arn,
				key_id, key_manager, key_state, key_spec,
				CASE WHEN key_spec LIKE 'HMAC%%' THEN 'GENERATE_VERIFY_MAC' ELSE 'ENCRYPT_DECRYPT' END AS key_usage,
				CASE WHEN syn_roll(i, 501, 100) < 97 THEN 'AWS_KMS' ELSE 'EXTERNAL' END AS origin,
				key_state = 'Enabled' AS enabled,
				syn_ago(syn_roll(i, 502, 2000)) AS creation_date,
				CASE WHEN key_state = 'PendingDeletion' THEN syn_ago(-7) END AS deletion_date,
				CASE WHEN key_manager = 'AWS' THEN 'Default key that protects my ' || syn_pick(['EBS', 'S3', 'RDS', 'Lambda'], i, 503) || ' resources'
					ELSE syn_pick(['app data', 'backups', 'logs', 'secrets'], i, 504) || ' key' END AS description,
				multi_region,
				multi_region AND syn_roll(i, 505, 2) = 0 AND region <> syn_region(0) AS replica,
				CASE
					WHEN key_manager = 'AWS' THEN true
					WHEN syn_roll(i, 506, 1000) < 10 THEN NULL
					ELSE syn_roll(i, 506, 1000) < 610
				END AS rotation_enabled,
				CASE WHEN key_manager = 'AWS' OR syn_roll(i, 506, 1000) BETWEEN 10 AND 609 THEN 365 END AS rotation_period_in_days,
				NULL::JSON AS policy,
				CASE WHEN key_manager = 'AWS' THEN ['alias/aws/' || syn_pick(['ebs', 's3', 'rds', 'lambda'], i, 503)]
					ELSE ['alias/' || syn_pick(['app-data', 'backups', 'logs', 'secrets'], i, 504) || '-' || syn_r_slot(i)] END AS aliases,
				CASE WHEN key_manager = 'AWS' THEN MAP {}::MAP(VARCHAR, VARCHAR) ELSE syn_tags(i, 507) END AS tags
			FROM (
				SELECT
					i,
					syn_r_account(i) AS account_id,
					syn_r_region(i) AS region,
					syn_uuid(i, 508) AS key_id,
					CASE WHEN syn_roll(i, 509, 100) < 65 THEN 'CUSTOMER' ELSE 'AWS' END AS key_manager,
					CASE WHEN syn_roll(i, 510, 100) < 90 THEN 'Enabled' WHEN syn_roll(i, 510, 100) < 96 THEN 'Disabled' ELSE 'PendingDeletion' END AS key_state,
					CASE WHEN syn_roll(i, 511, 100) < 92 THEN 'SYMMETRIC_DEFAULT' WHEN syn_roll(i, 511, 100) < 97 THEN 'RSA_2048' ELSE 'HMAC_256' END AS key_spec,
					syn_roll(i, 512, 100) < 5 AS multi_region
				FROM range(%d) t(i)
			)
		)`, l.kmsKeys*l.partitions)}
}

// ebsDefaultSpec fills aws_ebs_encryption_by_default with one row per
// region, 70% enabled.
func (g *generator) ebsDefaultSpec() tableSpec {
	return tableSpec{table: "aws_ebs_encryption_by_default", query: fmt.Sprintf(`
		SELECT
			syn_r_account(i) AS account_id,
			syn_r_region(i) AS region,
			syn_roll(i, 601, 100) < 70 AS enabled,
			'alias/aws/ebs' AS default_kms_key_id,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM range(%d) t(i)`, g.layout.partitions)}
}
