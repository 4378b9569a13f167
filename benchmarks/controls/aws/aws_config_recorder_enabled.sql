-- One row per enabled region of each account. A region passes when its
-- Config recorder records every supported resource type, is recording, and
-- its last recording succeeded, and when some region of the account records
-- the global resource types (IAM users, groups, roles and policies).
-- NOTE: service-linked recorders are not in the table, so a region that
-- only such a recorder covers fails. Delivery channels are not synced, so
-- whether the recordings reach a bucket is not checked.
WITH coverage AS (
    -- Latest sync status of each partition of the recorder table at the
    -- evaluated moment, which stance_now() returns.
    SELECT account_id, region, status
    FROM (
        SELECT p.account_id, p.region, p.status,
               row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name = 'aws_config_configuration_recorder'
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
regions AS (
    -- Enabled regions only, so opt-in regions that the account has not
    -- enabled get no result. An account whose region list was not synced falls back to
    -- the regions its recorder partitions cover.
    SELECT account_id, region_name AS region
    FROM aws_ec2_region
    WHERE coalesce(enabled, true)
    UNION
    SELECT c.account_id, c.region
    FROM coverage c
    WHERE NOT EXISTS (SELECT 1 FROM aws_ec2_region e WHERE e.account_id = c.account_id)
),
scoped AS (
    SELECT g.account_id, g.region, c.status AS sync_status
    FROM regions g
    LEFT JOIN coverage c ON c.account_id = g.account_id AND c.region = g.region
),
recorders AS (
    -- A region has at most one customer managed recorder.
    SELECT
        *,
        CASE
            WHEN all_supported OR upper(recording_strategy) = 'ALL_SUPPORTED_RESOURCE_TYPES' THEN true
            WHEN all_supported = false OR recording_strategy IS NOT NULL THEN false
        END AS records_all_types,
        row_number() OVER (PARTITION BY account_id, region ORDER BY name) AS rn
    FROM aws_config_configuration_recorder
),
accounts AS (
    -- Whether some recorder of the account includes global resource types.
    -- When none does, unread_regions shows whether one could be hiding in a
    -- region that was not read.
    SELECT
        s.account_id,
        bool_or(coalesce(r.include_global_resource_types, false)) AS records_global,
        string_agg(s.region, ', ' ORDER BY s.region) FILTER (
            WHERE s.sync_status IS DISTINCT FROM 'ok'
        ) AS unread_regions,
        min(r.region) AS first_recorder_region
    FROM scoped s
    LEFT JOIN recorders r ON r.account_id = s.account_id AND r.region = s.region
    GROUP BY s.account_id
),
judged AS (
    SELECT
        s.account_id,
        s.region,
        s.sync_status,
        r.name AS recorder_name,
        r.role_arn,
        coalesce(r.include_global_resource_types, false)
            OR (NOT a.records_global AND s.region = a.first_recorder_region) AS include_global_fix,
        CASE
            WHEN s.sync_status IS NULL THEN 'not synced'
            WHEN r.name IS NULL THEN 'no recorder'
            WHEN r.records_all_types = false THEN 'some types'
            WHEN r.recording = false THEN 'stopped'
            WHEN lower(r.last_status) <> 'success' THEN 'last failed'
            WHEN r.records_all_types IS NULL OR r.recording IS NULL OR r.last_status IS NULL THEN 'unknown'
            WHEN NOT a.records_global AND a.unread_regions IS NULL THEN 'no global'
            WHEN NOT a.records_global THEN 'global unknown'
            ELSE 'ok'
        END AS verdict,
        'Config recorder ' || coalesce(r.name, '') || ' of region ' || s.region AS subject,
        r.recording_strategy,
        r.last_status,
        r.last_error_code,
        a.unread_regions
    FROM scoped s
    JOIN accounts a ON a.account_id = s.account_id
    LEFT JOIN recorders r ON r.account_id = s.account_id AND r.region = s.region AND r.rn = 1
    -- A partition that the last sync could not read is reported by the
    -- engine as a blind spot, with this same resource.
    WHERE s.sync_status IS NULL OR s.sync_status = 'ok'
)
SELECT
    account_id || '/' || region AS resource,
    account_id,
    region,
    -- The remediation command names a recorder whose settings are the
    -- problem. Global types are turned on in one region of the account
    -- only. A missing recorder or a failed recording gets no command.
    CASE
        WHEN verdict IN ('some types', 'stopped') THEN recorder_name
        WHEN verdict = 'no global' AND include_global_fix THEN recorder_name
    END AS recorder_to_fix,
    role_arn,
    include_global_fix,
    CASE
        WHEN verdict = 'ok' THEN 'pass'
        WHEN verdict IN ('not synced', 'unknown', 'global unknown') THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE verdict
        WHEN 'not synced'
            THEN 'not evaluated: region ' || region || ' is enabled but aws_config_configuration_recorder was not synced there'
        WHEN 'no recorder'
            THEN 'region ' || region || ' has no AWS Config configuration recorder'
        WHEN 'some types'
            THEN subject || ' records only some resource types (strategy '
                || coalesce(recording_strategy, 'not reported') || ')'
        WHEN 'stopped'
            THEN subject || ' is stopped'
        WHEN 'last failed'
            THEN subject || ' failed its last recording (status ' || last_status
                || coalesce(', error ' || last_error_code, '') || ')'
        WHEN 'unknown'
            THEN 'not evaluated: the recording group or status of the ' || subject || ' could not be read'
        WHEN 'no global'
            THEN subject || ' records every resource type, but no recorder of the account records global resource types such as IAM users'
        WHEN 'global unknown'
            THEN 'not evaluated: ' || subject || ' records every resource type, but no region read records global resource types, '
                || 'and these enabled regions were not read: ' || unread_regions
        ELSE subject || ' records every resource type and its last recording succeeded'
    END AS reason
FROM judged
