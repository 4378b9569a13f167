package aws

import (
	"fmt"
	"strings"
)

// regionSpec fills aws_ec2_region: the estate's regions, enabled, and four
// opt-in regions that no account has enabled.
func (g *generator) regionSpec() tableSpec {
	l := g.layout
	quoted := make([]string, len(optInRegions))
	for i, r := range optInRegions {
		quoted[i] = "'" + r + "'"
	}
	return tableSpec{table: "aws_ec2_region", query: fmt.Sprintf(`
		SELECT
			account_id, region_name AS region, region_name,
			'ec2.' || region_name || '.amazonaws.com' AS endpoint,
			CASE WHEN slot < %[3]d THEN 'opt-in-not-required' ELSE 'not-opted-in' END AS opt_in_status,
			slot < %[3]d AS enabled,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				syn_g_account(i) AS account_id,
				syn_g_slot(i) AS slot,
				CASE WHEN syn_g_slot(i) < %[3]d THEN syn_region(syn_g_slot(i)) ELSE [%[4]s][syn_g_slot(i) - %[3]d + 1] END AS region_name
			FROM range(%[1]d * %[2]d) t(i)
		)`, l.accounts, l.regions+len(optInRegions), l.regions, strings.Join(quoted, ", "))}
}

// trailSpec fills aws_cloudtrail_trail. The organization trail of account
// 0 records all management events and S3 data writes. Every member account
// lists it, except the 10% outside the organization, and half the members
// cannot read its status and selectors. 40% of accounts also have a trail
// of their own that records S3 reads of their audit buckets, and half of
// those trails are multi-region.
func (g *generator) trailSpec() tableSpec {
	l := g.layout
	return tableSpec{table: "aws_cloudtrail_trail", query: fmt.Sprintf(`
		SELECT
			account_id, region, arn, name,
			region AS home_region,
			CASE WHEN org THEN true ELSE syn_roll(account_index, 904, 100) < 50 END AS is_multi_region_trail,
			org AS is_organization_trail,
			CASE WHEN org THEN true ELSE syn_roll(account_index, 904, 100) < 50 END AS include_global_service_events,
			CASE WHEN org THEN true ELSE syn_roll(account_index, 905, 100) < 70 END AS log_file_validation_enabled,
			CASE WHEN org THEN syn_bucket_name(0) ELSE syn_bucket_name(syn_g_row(account_index, 1)) END AS s3_bucket_name,
			CASE WHEN org THEN 'org' END AS s3_key_prefix,
			CASE WHEN org OR syn_roll(account_index, 906, 100) < 50
				THEN 'arn:aws:kms:' || region || ':' || owner || ':key/' || syn_uuid(account_index, 907) END AS kms_key_id,
			'arn:aws:logs:' || region || ':' || owner || ':log-group:aws-cloudtrail-logs:*' AS cloud_watch_logs_log_group_arn,
			'arn:aws:iam::' || owner || ':role/cloudtrail-to-cloudwatch' AS cloud_watch_logs_role_arn,
			NULL AS sns_topic_arn,
			CASE WHEN NOT readable THEN NULL WHEN org THEN true ELSE syn_roll(account_index, 908, 100) < 90 END AS is_logging,
			CASE WHEN readable THEN syn_ago(0) - INTERVAL 10 MINUTE END AS latest_delivery_time,
			CASE WHEN org AND readable THEN json_array(
				json_object('ReadWriteType', 'All', 'IncludeManagementEvents', true,
					'DataResources', '[]'::JSON, 'ExcludeManagementEventSources', '[]'::JSON),
				json_object('ReadWriteType', 'WriteOnly', 'IncludeManagementEvents', false,
					'DataResources', json_array(json_object('Type', 'AWS::S3::Object', 'Values', json_array('arn:aws:s3'))),
					'ExcludeManagementEventSources', '[]'::JSON))
			END AS event_selectors,
			CASE WHEN NOT org THEN json_array(
				json_object('Name', 'Management events', 'FieldSelectors', json_array(
					json_object('Field', 'eventCategory', 'Equals', json_array('Management')))),
				json_object('Name', 'Audit bucket reads', 'FieldSelectors', json_array(
					json_object('Field', 'eventCategory', 'Equals', json_array('Data')),
					json_object('Field', 'resources.type', 'Equals', json_array('AWS::S3::Object')),
					json_object('Field', 'readOnly', 'Equals', json_array('true')),
					json_object('Field', 'resources.ARN', 'StartsWith', json_array('arn:aws:s3:::stance-bench-' || account_id || '-audit-')))))
			END AS advanced_event_selectors,
			false AS has_insight_selectors,
			CASE WHEN org THEN MAP {'owner': 'security'} ELSE syn_tags(account_index, 909) END AS tags
		FROM (
			SELECT
				*,
				'arn:aws:cloudtrail:' || region || ':' || owner || ':trail/' || name AS arn,
				account_index = 0 OR NOT org OR syn_roll(account_index, 902, 100) < 50 AS readable
			FROM (
				SELECT
					i < %[1]d AS org,
					i %% %[1]d AS account_index,
					syn_account(i %% %[1]d) AS account_id,
					CASE WHEN i < %[1]d THEN syn_account(0) ELSE syn_account(i %% %[1]d) END AS owner,
					CASE WHEN i < %[1]d THEN syn_region(0) ELSE syn_region(i %% %[1]d %% %[2]d) END AS region,
					CASE WHEN i < %[1]d THEN 'org-trail' ELSE 'local-trail' END AS name
				FROM range(2 * %[1]d) t(i)
			)
			WHERE (org AND (account_index = 0 OR syn_roll(account_index, 903, 100) >= 10))
				OR (NOT org AND syn_roll(account_index, 901, 100) < 40)
		)`, l.accounts, l.regions)}
}

// analyzerSpec fills aws_accessanalyzer_analyzer: 90% of regions have an
// analyzer, mostly an active one of type ACCOUNT.
func (g *generator) analyzerSpec() tableSpec {
	return tableSpec{table: "aws_accessanalyzer_analyzer", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:access-analyzer:' || region || ':' || account_id || ':analyzer/' || name AS arn,
			name, type,
			CASE WHEN syn_roll(i, 921, 100) < 97 THEN 'ACTIVE' ELSE 'CREATING' END AS status,
			NULL AS status_reason,
			syn_ago(100 + syn_roll(i, 922, 900)) AS created_at,
			NULL AS last_resource_analyzed,
			syn_ago(0) AS last_resource_analyzed_at,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT
				i,
				syn_r_account(i) AS account_id,
				syn_r_region(i) AS region,
				CASE WHEN syn_roll(i, 923, 100) < 80 THEN 'ACCOUNT' WHEN syn_roll(i, 923, 100) < 90 THEN 'ORGANIZATION'
					ELSE 'ACCOUNT_UNUSED_ACCESS' END AS type,
				CASE WHEN syn_roll(i, 923, 100) < 90 THEN 'external-access' ELSE 'unused-access' END AS name
			FROM range(%d) t(i)
			WHERE syn_roll(i, 924, 100) < 90
		)`, g.layout.partitions)}
}

// recorderSpec fills aws_config_configuration_recorder. 92% of regions
// have a recorder, and most recorders record every resource type. The
// first region of 90% of accounts records the global types too.
func (g *generator) recorderSpec() tableSpec {
	return tableSpec{table: "aws_config_configuration_recorder", query: fmt.Sprintf(`
		SELECT
			account_id, region,
			'arn:aws:config:' || region || ':' || account_id || ':config-recorder/default' AS arn,
			'default' AS name,
			'arn:aws:iam::' || account_id || ':role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig' AS role_arn,
			all_supported,
			syn_r_slot(i) = 0 AND i %% %[2]d < %[3]d AND syn_roll(syn_r_account_index(i), 931, 100) < 90 AS include_global_resource_types,
			CASE WHEN all_supported THEN []::VARCHAR[] ELSE ['AWS::EC2::Instance', 'AWS::S3::Bucket', 'AWS::IAM::Role'] END AS resource_types,
			CASE WHEN all_supported THEN 'ALL_SUPPORTED_RESOURCE_TYPES' ELSE 'INCLUSION_BY_RESOURCE_TYPES' END AS recording_strategy,
			'CONTINUOUS' AS recording_frequency,
			syn_roll(i, 932, 100) < 95 AS recording,
			CASE WHEN syn_roll(i, 933, 100) < 96 THEN 'SUCCESS' ELSE 'FAILURE' END AS last_status,
			syn_ago(200) AS last_start_time,
			NULL::TIMESTAMPTZ AS last_stop_time,
			CASE WHEN syn_roll(i, 933, 100) >= 96 THEN 'AccessDenied' END AS last_error_code,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT i, syn_r_account(i) AS account_id, syn_r_region(i) AS region, syn_roll(i, 934, 100) < 85 AS all_supported
			FROM range(%[1]d) t(i)
			WHERE syn_roll(i, 935, 100) < 92
		)`, g.layout.partitions, g.layout.partitions, g.layout.accounts)}
}

// hubSpec fills aws_securityhub_hub with one row per region, enabled in
// 75% of them.
func (g *generator) hubSpec() tableSpec {
	return tableSpec{table: "aws_securityhub_hub", query: fmt.Sprintf(`
		SELECT
			account_id, region, enabled,
			CASE WHEN enabled THEN 'arn:aws:securityhub:' || region || ':' || account_id || ':hub/default' END AS hub_arn,
			CASE WHEN enabled THEN syn_ago(100 + syn_roll(i, 941, 900)) END AS subscribed_at,
			CASE WHEN enabled THEN true END AS auto_enable_controls,
			CASE WHEN enabled THEN 'SECURITY_CONTROL' END AS control_finding_generator,
			CASE WHEN enabled THEN ['arn:aws:securityhub:' || region || '::standards/aws-foundational-security-best-practices/v/1.0.0'] END AS enabled_standards,
			NULL::MAP(VARCHAR, VARCHAR) AS tags
		FROM (
			SELECT i, syn_r_account(i) AS account_id, syn_r_region(i) AS region, syn_roll(i, 942, 100) < 75 AS enabled
			FROM range(%d) t(i)
		)`, g.layout.partitions)}
}
