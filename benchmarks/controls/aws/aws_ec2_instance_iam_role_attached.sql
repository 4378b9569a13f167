-- One row per instance that is not terminated or shutting down. A profile
-- counts only when a role of the same account lists it, because a profile
-- without a role gives the instance no credentials. Whether roles were
-- read is taken from the successful aws_iam_role syncs before the
-- evaluation moment, so unread roles give skip, not fail.
WITH clock AS (
    SELECT coalesce(getvariable('stance_at')::TIMESTAMPTZ, now()) AS evaluated_at
),
roles_synced AS (
    SELECT DISTINCT p.account_id
    FROM stance_sync_partition AS p
    JOIN stance_sync_run AS r USING (run_id)
    CROSS JOIN clock
    WHERE p.table_name = 'aws_iam_role' AND p.status = 'ok' AND r.sync_time <= clock.evaluated_at
    UNION
    SELECT account_id FROM aws_iam_role
),
profile_roles AS (
    SELECT account_id, lower(profile_arn) AS profile_arn, string_agg(role_name, ', ' ORDER BY role_name) AS role_names
    FROM (SELECT account_id, role_name, unnest(instance_profile_arns) AS profile_arn FROM aws_iam_role)
    GROUP BY account_id, lower(profile_arn)
),
unknown_roles AS (
    SELECT account_id, count(*) AS roles
    FROM aws_iam_role
    WHERE instance_profile_arns IS NULL
    GROUP BY account_id
),
instances AS (
    SELECT
        i.arn,
        i.instance_id,
        i.account_id,
        i.region,
        i.iam_instance_profile_arn,
        regexp_extract(i.iam_instance_profile_arn, '[^/]+$') AS instance_profile_name,
        pr.role_names,
        u.roles AS unknown_roles,
        s.account_id IS NOT NULL AS roles_read
    FROM aws_ec2_instance AS i
    LEFT JOIN profile_roles AS pr
        ON pr.account_id = i.account_id AND pr.profile_arn = lower(i.iam_instance_profile_arn)
    LEFT JOIN unknown_roles AS u ON u.account_id = i.account_id
    LEFT JOIN roles_synced AS s ON s.account_id = i.account_id
    WHERE coalesce(i.state, '') NOT IN ('terminated', 'shutting-down')
)
SELECT
    arn AS resource,
    instance_id,
    account_id,
    region,
    iam_instance_profile_arn,
    instance_profile_name,
    CASE
        WHEN iam_instance_profile_arn IS NULL THEN 'fail'
        WHEN role_names IS NOT NULL THEN 'pass'
        WHEN NOT roles_read OR unknown_roles > 0 THEN 'skip'
        ELSE 'fail'
    END AS status,
    'instance ' || coalesce(instance_id, arn) || CASE
        WHEN iam_instance_profile_arn IS NULL THEN ' has no IAM instance profile'
        WHEN role_names IS NOT NULL
            THEN ' gets credentials from role ' || role_names || ' through profile ' || instance_profile_name
        WHEN NOT roles_read THEN ' has profile ' || instance_profile_name
            || ', but the IAM roles of account ' || account_id || ' were not read'
        WHEN unknown_roles > 0 THEN ' has profile ' || instance_profile_name || ', which no role is known to use, and the profiles of '
            || unknown_roles || ' roles are unknown'
        ELSE ' has profile ' || instance_profile_name || ', which contains no role'
    END AS reason
FROM instances
