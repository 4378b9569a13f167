package aws

import "fmt"

// userSpec fills aws_iam_user. 60% of users have a console password,
// about a fifth have policies attached to the user itself, and a few do
// not report their policies.
func (g *generator) userSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_iam_user", query: fmt.Sprintf(`
		SELECT
			account_id, 'global' AS region,
			'arn:aws:iam::' || account_id || ':user/' || user_name AS arn,
			user_name,
			'AIDA' || upper(substr(md5(i::VARCHAR || '/user'), 1, 17)) AS user_id,
			'/' AS path,
			syn_ago(syn_user_age_days(i)) AS create_date,
			syn_ago(syn_password_idle_days(i)) AS password_last_used,
			syn_pick([['developers'], ['developers', 'readonly'], ['admins'], []::VARCHAR[], ['ops', 'oncall']], i, 701) AS groups,
			CASE
				WHEN policy_roll < 5 THEN NULL
				WHEN policy_roll < 850 THEN []::VARCHAR[]
				WHEN policy_roll < 950 THEN ['arn:aws:iam::aws:policy/ReadOnlyAccess']
				ELSE ['arn:aws:iam::' || account_id || ':policy/policy-' || (3 + syn_roll(i, 702, %[2]d))]
			END AS attached_policy_arns,
			CASE
				WHEN inline_roll < 5 THEN NULL
				WHEN inline_roll < 920 THEN '{}'::JSON
				ELSE json_object('inline-' || syn_pick(['s3-read', 'deploy', 'debug'], i, 703), json_object(
					'Version', '2012-10-17',
					'Statement', json_array(json_object('Effect', 'Allow', 'Action', 's3:GetObject', 'Resource', '*'))))
			END AS inline_policies,
			NULL AS permissions_boundary,
			CASE WHEN syn_user_mfa(i) THEN json_array(json_object(
				'SerialNumber', 'arn:aws:iam::' || account_id || ':mfa/' || user_name,
				'EnableDate', strftime(syn_ago(syn_roll(i, 704, 400)), '%%Y-%%m-%%dT%%H:%%M:%%SZ')))
				ELSE '[]'::JSON END AS mfa_devices,
			syn_user_mfa(i) AS mfa_enabled,
			syn_user_console(i) AS login_profile,
			CASE WHEN syn_user_console(i) THEN syn_ago(syn_user_age_days(i) - 1) END AS login_profile_create_date,
			CASE WHEN syn_user_console(i) THEN syn_roll(i, 705, 100) < 3 END AS password_reset_required,
			syn_tags(i, 706) AS tags
		FROM (
			SELECT
				i,
				syn_g_account(i) AS account_id,
				syn_user_name(i) AS user_name,
				syn_roll(i, 707, 1000) AS policy_roll,
				syn_roll(i, 708, 1000) AS inline_roll
			FROM range(%[1]d) t(i)
		)`, l.users*l.accounts, l.policies-3)}
}

// credentialReportSpec fills aws_iam_credential_report with a line per
// user, which agrees with aws_iam_user and aws_iam_access_key, and the
// root user's line of every account.
func (g *generator) credentialReportSpec() tableSpec {
	l := g.layout
	users := l.users * l.accounts
	return tableSpec{table: "aws_iam_credential_report", query: fmt.Sprintf(`
		SELECT
			account_id, 'global' AS region,
			CASE WHEN root THEN '<root_account>' ELSE syn_user_name(i) END AS "user",
			CASE WHEN root THEN 'arn:aws:iam::' || account_id || ':root'
				ELSE 'arn:aws:iam::' || account_id || ':user/' || syn_user_name(i) END AS user_arn,
			syn_ago(CASE WHEN root THEN 2000 + syn_roll(i, 801, 1000) ELSE syn_user_age_days(i) END) AS user_creation_time,
			CASE WHEN NOT root THEN syn_user_console(i) END AS password_enabled,
			CASE WHEN root THEN syn_ago(syn_roll(i, 802, 400)) ELSE syn_ago(syn_password_idle_days(i)) END AS password_last_used,
			CASE WHEN NOT root AND syn_user_console(i) THEN syn_ago(least(syn_user_age_days(i), 30 + syn_roll(i, 803, 300))) END AS password_last_changed,
			NULL::TIMESTAMPTZ AS password_next_rotation,
			CASE WHEN root THEN syn_root_mfa(account_index) ELSE syn_user_mfa(i) END AS mfa_active,
			CASE WHEN root THEN syn_root_key(account_index) ELSE key_1 < %[2]d AND syn_key_active(key_1) END AS access_key_1_active,
			CASE WHEN root THEN CASE WHEN syn_root_key(account_index) THEN syn_ago(500) END
				WHEN key_1 < %[2]d THEN syn_ago(syn_key_age_days(key_1)) END AS access_key_1_last_rotated,
			CASE WHEN NOT root AND key_1 < %[2]d THEN syn_ago(syn_key_idle_days(key_1)) END AS access_key_1_last_used_date,
			CASE WHEN NOT root AND key_1 < %[2]d AND syn_key_idle_days(key_1) IS NOT NULL THEN syn_region(syn_roll(key_1, 47, %[4]d)) END AS access_key_1_last_used_region,
			CASE WHEN NOT root AND key_1 < %[2]d AND syn_key_idle_days(key_1) IS NOT NULL THEN syn_pick(['s3', 'sts', 'ec2', 'dynamodb'], key_1, 48) END AS access_key_1_last_used_service,
			CASE WHEN root THEN false ELSE key_2 < %[2]d AND syn_key_active(key_2) END AS access_key_2_active,
			CASE WHEN NOT root AND key_2 < %[2]d THEN syn_ago(syn_key_age_days(key_2)) END AS access_key_2_last_rotated,
			CASE WHEN NOT root AND key_2 < %[2]d THEN syn_ago(syn_key_idle_days(key_2)) END AS access_key_2_last_used_date,
			CASE WHEN NOT root AND key_2 < %[2]d AND syn_key_idle_days(key_2) IS NOT NULL THEN syn_region(syn_roll(key_2, 47, %[4]d)) END AS access_key_2_last_used_region,
			CASE WHEN NOT root AND key_2 < %[2]d AND syn_key_idle_days(key_2) IS NOT NULL THEN syn_pick(['s3', 'sts', 'ec2', 'dynamodb'], key_2, 48) END AS access_key_2_last_used_service,
			false AS cert_1_active, NULL::TIMESTAMPTZ AS cert_1_last_rotated,
			false AS cert_2_active, NULL::TIMESTAMPTZ AS cert_2_last_rotated,
			syn_ago(0) - INTERVAL 2 HOUR AS generated_time,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				i,
				i >= %[1]d AS root,
				CASE WHEN i >= %[1]d THEN i - %[1]d ELSE syn_g_account_index(i) END AS account_index,
				syn_account(CASE WHEN i >= %[1]d THEN i - %[1]d ELSE syn_g_account_index(i) END) AS account_id,
				i AS key_1,
				i + %[1]d AS key_2
			FROM range(%[1]d + %[3]d) t(i)
		)`, users, g.accessKeyCount(), l.accounts, l.regions)}
}

// accessKeyCount returns the number of access keys, at most two per user
// as IAM allows.
func (g *generator) accessKeyCount() int {
	return min(g.layout.accessKeys, 2*g.layout.users*g.layout.accounts)
}

// accessKeySpec fills aws_iam_access_key. Key k belongs to user
// k % users, so the first keys - users users have two keys. 80% of keys
// are active and 35% are older than 90 days.
func (g *generator) accessKeySpec() tableSpec {
	users := g.layout.users * g.layout.accounts
	return tableSpec{table: "aws_iam_access_key", query: fmt.Sprintf(`
		SELECT
			syn_g_account(u) AS account_id, 'global' AS region,
			'AKIA' || upper(printf('%%016x', k * 2654435761 + 12345)) AS access_key_id,
			syn_user_name(u) AS user_name,
			'arn:aws:iam::' || syn_g_account(u) || ':user/' || syn_user_name(u) AS user_arn,
			CASE WHEN syn_key_active(k) THEN 'Active' ELSE 'Inactive' END AS status,
			syn_ago(syn_key_age_days(k)) AS create_date,
			syn_ago(syn_key_idle_days(k)) AS last_used_date,
			CASE WHEN syn_key_idle_days(k) IS NOT NULL THEN syn_pick(['s3', 'sts', 'ec2', 'dynamodb'], k, 48) END AS last_used_service,
			CASE WHEN syn_key_idle_days(k) IS NOT NULL THEN syn_region(syn_roll(k, 47, %[3]d)) END AS last_used_region,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (SELECT i AS k, i %% %[2]d AS u FROM range(%[1]d) t(i))`, g.accessKeyCount(), users, g.layout.regions)}
}

// roleSpec fills aws_iam_role. Slot 0 of each account is a support role,
// with AWSSupportAccess in 85% of accounts. Every fourth role from slot 1
// has an instance profile of its own name, which instances use.
func (g *generator) roleSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_iam_role", query: fmt.Sprintf(`
		SELECT
			account_id, 'global' AS region,
			'arn:aws:iam::' || account_id || ':role/' || role_name AS arn,
			role_name,
			'AROA' || upper(substr(md5(i::VARCHAR || '/role'), 1, 17)) AS role_id,
			'/' AS path,
			CASE WHEN slot = 0 THEN 'AWS Support access for the operations team' END AS description,
			syn_ago(100 + syn_roll(i, 711, 1500)) AS create_date,
			json_object('Version', '2012-10-17', 'Statement', json_array(json_object(
				'Effect', 'Allow', 'Action', 'sts:AssumeRole',
				'Principal', CASE
					WHEN slot = 0 THEN json_object('AWS', 'arn:aws:iam::' || account_id || ':root')
					WHEN profile THEN json_object('Service', 'ec2.amazonaws.com')
					ELSE json_object('Service', syn_pick(['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'codebuild.amazonaws.com'], i, 712))
				END))) AS assume_role_policy,
			CASE
				WHEN slot = 0 AND syn_roll(account_index, 713, 100) < 85 THEN ['arn:aws:iam::aws:policy/AWSSupportAccess']
				WHEN slot = 0 THEN ['arn:aws:iam::aws:policy/ReadOnlyAccess']
				WHEN unknown THEN NULL
				WHEN syn_roll(i, 714, 100) < 50 THEN ['arn:aws:iam::' || account_id || ':policy/policy-' || (3 + syn_roll(i, 715, %[2]d))]
				ELSE ['arn:aws:iam::' || account_id || ':policy/policy-' || (3 + syn_roll(i, 715, %[2]d)),
					'arn:aws:iam::aws:policy/' || syn_pick(['AmazonS3ReadOnlyAccess', 'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy', 'AdministratorAccess'], i, 716)]
			END AS attached_policy_arns,
			CASE WHEN unknown THEN NULL WHEN syn_roll(i, 717, 100) < 80 THEN '{}'::JSON
				ELSE json_object('inline-logs', json_object('Version', '2012-10-17', 'Statement', json_array(json_object(
					'Effect', 'Allow', 'Action', json_array('logs:CreateLogStream', 'logs:PutLogEvents'), 'Resource', '*'))))
			END AS inline_policies,
			CASE WHEN unknown THEN NULL WHEN profile THEN ['arn:aws:iam::' || account_id || ':instance-profile/' || role_name]
				ELSE []::VARCHAR[] END AS instance_profile_arns,
			3600 AS max_session_duration,
			CASE WHEN syn_roll(i, 718, 100) < 80 THEN syn_ago(syn_roll(i, 719, 120)) END AS role_last_used_date,
			CASE WHEN syn_roll(i, 718, 100) < 80 THEN syn_region(syn_roll(i, 720, %[3]d)) END AS role_last_used_region,
			NULL AS permissions_boundary,
			syn_tags(i, 721) AS tags
		FROM (
			SELECT
				i,
				syn_g_account_index(i) AS account_index,
				syn_g_account(i) AS account_id,
				syn_g_slot(i) AS slot,
				syn_role_name(i) AS role_name,
				syn_g_slot(i) %% 4 = 1 AS profile,
				-- IAM did not return the details of 0.3%% of the roles in 20%% of accounts.
				syn_g_slot(i) > 1 AND syn_roll(i, 722, 1000) < 3 AND syn_roll(syn_g_account_index(i), 723, 100) < 20 AS unknown
			FROM range(%[1]d) t(i)
		)`, l.roles*l.accounts, l.policies-3, l.regions)}
}

// policySpec fills aws_iam_policy with three AWS-managed policies per
// account (AdministratorAccess or PowerUserAccess, ReadOnlyAccess,
// AWSSupportAccess) and customer-managed policies of two to four
// statements, 2% of which allow every action on every resource.
func (g *generator) policySpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_iam_policy", query: fmt.Sprintf(`
		SELECT
			account_id, 'global' AS region,
			CASE WHEN slot < 3 THEN 'arn:aws:iam::aws:policy/' || policy_name
				ELSE 'arn:aws:iam::' || account_id || ':policy/' || policy_name END AS arn,
			policy_name,
			'ANPA' || upper(substr(md5(CASE WHEN slot < 3 THEN policy_name ELSE i::VARCHAR END || '/policy'), 1, 17)) AS policy_id,
			'/' AS path,
			CASE WHEN slot < 3 THEN 'Managed by AWS' ELSE 'Access for ' || policy_name END AS description,
			slot < 3 AS is_aws_managed,
			CASE
				WHEN slot < 3 THEN 1 + syn_roll(i, 731, 5)
				WHEN attach_roll < 300 THEN 0
				WHEN attach_roll < 302 THEN NULL
				ELSE 1 + syn_roll(i, 732, 8)
			END AS attachment_count,
			0 AS permissions_boundary_usage_count,
			'v' || (1 + syn_roll(i, 733, 5)) AS default_version_id,
			CASE
				WHEN policy_name = 'AdministratorAccess' THEN json_object('Version', '2012-10-17', 'Statement', json_array(
					json_object('Effect', 'Allow', 'Action', '*', 'Resource', '*')))
				WHEN policy_name = 'PowerUserAccess' THEN json_object('Version', '2012-10-17', 'Statement', json_array(
					json_object('Effect', 'Allow', 'NotAction', json_array('iam:*', 'organizations:*', 'account:*'), 'Resource', '*'),
					json_object('Effect', 'Allow', 'Action', json_array('iam:CreateServiceLinkedRole', 'iam:ListRoles', 'account:ListRegions'), 'Resource', '*')))
				WHEN policy_name = 'ReadOnlyAccess' THEN json_object('Version', '2012-10-17', 'Statement', json_array(
					json_object('Sid', 'ReadOnly', 'Effect', 'Allow', 'Action', json_array('s3:Get*', 's3:List*', 'ec2:Describe*', 'iam:Get*', 'iam:List*'), 'Resource', '*')))
				WHEN policy_name = 'AWSSupportAccess' THEN json_object('Version', '2012-10-17', 'Statement', json_array(
					json_object('Effect', 'Allow', 'Action', json_array('support:*'), 'Resource', '*')))
				WHEN document_roll < 2 THEN NULL
				-- A lone statement may be an object instead of an array.
				WHEN document_roll < 7 THEN json_object('Version', '2012-10-17', 'Statement',
					json_object('Effect', 'Allow', 'Action', '*', 'Resource', '*'))
				WHEN document_roll < 20 THEN json_object('Version', '2012-10-17', 'Statement', json_array(
					s3_statement, json_object('Sid', 'Everything', 'Effect', 'Allow', 'Action', json_array('*'), 'Resource', json_array('*'))))
				WHEN document_roll < 400 THEN json_object('Version', '2012-10-17', 'Statement', json_array(s3_statement, describe_statement))
				WHEN document_roll < 700 THEN json_object('Version', '2012-10-17', 'Statement', json_array(s3_statement, describe_statement, kms_statement))
				ELSE json_object('Version', '2012-10-17', 'Statement', json_array(s3_statement, describe_statement, kms_statement, deny_statement))
			END AS document,
			true AS is_attachable,
			syn_ago(200 + syn_roll(i, 734, 1500)) AS create_date,
			syn_ago(syn_roll(i, 735, 200)) AS update_date,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				*,
				json_object('Sid', 'S3Access', 'Effect', 'Allow', 'Action', json_array('s3:GetObject', 's3:PutObject'),
					'Resource', json_array('arn:aws:s3:::' || syn_bucket_name(syn_g_row(account_index, syn_roll(i, 736, %[2]d))) || '/*')) AS s3_statement,
				json_object('Sid', 'Describe', 'Effect', 'Allow', 'Action', 'ec2:Describe*', 'Resource', '*') AS describe_statement,
				json_object('Effect', 'Allow', 'Action', json_array('kms:Decrypt', 'kms:GenerateDataKey'),
					'Resource', 'arn:aws:kms:' || syn_region(0) || ':' || account_id || ':key/' || syn_uuid(i, 737)) AS kms_statement,
				-- A deny of everything outside the regions in use: an allow of * would fail, this deny must not.
				json_object('Sid', 'DenyOtherRegions', 'Effect', 'Deny', 'Action', '*', 'Resource', '*',
					'Condition', json_object('StringNotEquals', json_object('aws:RequestedRegion', json_array(syn_region(0))))) AS deny_statement
			FROM (
				SELECT
					i,
					syn_g_account_index(i) AS account_index,
					syn_g_account(i) AS account_id,
					syn_g_slot(i) AS slot,
					CASE syn_g_slot(i)
						WHEN 0 THEN CASE WHEN syn_roll(syn_g_account_index(i), 730, 100) < 70 THEN 'AdministratorAccess' ELSE 'PowerUserAccess' END
						WHEN 1 THEN 'ReadOnlyAccess'
						WHEN 2 THEN 'AWSSupportAccess'
						ELSE 'policy-' || syn_g_slot(i)
					END AS policy_name,
					syn_roll(i, 738, 1000) AS attach_roll,
					syn_roll(i, 739, 1000) AS document_roll
				FROM range(%[1]d) t(i)
			)
		)`, l.policies*l.accounts, l.buckets)}
}

// certificateSpec fills aws_iam_server_certificate. A quarter of the
// certificates have expired.
func (g *generator) certificateSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_iam_server_certificate", query: fmt.Sprintf(`
		SELECT
			account_id, 'global' AS region,
			'arn:aws:iam::' || account_id || ':server-certificate/' || name AS arn,
			name AS server_certificate_name,
			'ASCA' || upper(substr(md5(i::VARCHAR || '/cert'), 1, 17)) AS server_certificate_id,
			'/' AS path,
			expiration - INTERVAL 365 DAY AS upload_date,
			expiration,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				i,
				syn_g_account(i) AS account_id,
				syn_pick(['www', 'api', 'legacy', 'partner', 'intranet'], i, 751) || '-' || syn_g_slot(i) AS name,
				CASE WHEN syn_roll(i, 752, 100) = 0 THEN NULL ELSE syn_ago(180 - syn_roll(i, 753, 730)) END AS expiration
			FROM range(%d) t(i)
		)`, l.certificates*l.accounts)}
}

// accountSummarySpec fills aws_iam_account_summary with one row per
// account, agreeing with the root lines of the credential report.
func (g *generator) accountSummarySpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_iam_account_summary", query: fmt.Sprintf(`
		SELECT
			syn_account(i) AS account_id, 'global' AS region,
			syn_root_mfa(i)::INTEGER AS account_mfa_enabled,
			syn_root_key(i)::INTEGER AS account_access_keys_present,
			CASE WHEN syn_roll(i, 52, 100) < 92 THEN 1 ELSE 0 END AS account_password_present,
			0 AS account_signing_certificates_present,
			%[2]d AS users, 5000 AS users_quota,
			5 AS "groups", 300 AS groups_quota,
			%[3]d AS roles, 1000 AS roles_quota,
			%[4]d AS policies, 1500 AS policies_quota,
			%[4]d AS policy_versions_in_use, 10000 AS policy_versions_in_use_quota, 5 AS versions_per_policy_quota,
			%[5]d AS mfa_devices, %[5]d AS mfa_devices_in_use,
			%[6]d AS instance_profiles, 1000 AS instance_profiles_quota,
			1 AS providers,
			%[7]d AS server_certificates, 20 AS server_certificates_quota,
			2 AS access_keys_per_user_quota, 2 AS signing_certificates_per_user_quota, 10 AS groups_per_user_quota,
			10 AS attached_policies_per_user_quota, 10 AS attached_policies_per_group_quota, 10 AS attached_policies_per_role_quota,
			2048 AS user_policy_size_quota, 5120 AS group_policy_size_quota, 10240 AS role_policy_size_quota,
			6144 AS policy_size_quota, 2048 AS assume_role_policy_size_quota,
			1 AS global_endpoint_token_version,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM range(%[1]d) t(i)`,
		l.accounts, l.users, l.roles, l.policies-3, l.users*6/10, (l.roles+2)/4, l.certificates)}
}

// passwordPolicySpec fills aws_iam_password_policy: 10% of accounts have
// none, and the others vary in length and reuse prevention.
func (g *generator) passwordPolicySpec() tableSpec {
	return tableSpec{table: "aws_iam_password_policy", query: fmt.Sprintf(`
		SELECT
			syn_account(i) AS account_id, 'global' AS region,
			present AS "exists",
			CASE WHEN present THEN syn_pick([14, 14, 16, 8, 12], i, 761) END AS minimum_password_length,
			CASE WHEN present THEN true END AS require_symbols,
			CASE WHEN present THEN true END AS require_numbers,
			CASE WHEN present THEN true END AS require_uppercase_characters,
			CASE WHEN present THEN true END AS require_lowercase_characters,
			CASE WHEN present THEN true END AS allow_users_to_change_password,
			CASE WHEN present THEN syn_roll(i, 762, 2) = 0 END AS expire_passwords,
			CASE WHEN present AND syn_roll(i, 762, 2) = 0 THEN 90 END AS max_password_age,
			CASE WHEN present THEN syn_pick([24, 24, 5, NULL, 12], i, 763) END AS password_reuse_prevention,
			CASE WHEN present THEN false END AS hard_expiry,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (SELECT i, syn_roll(i, 764, 100) < 90 AS present FROM range(%d) t(i))`, g.layout.accounts)}
}
