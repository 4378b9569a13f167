-- One row per account. Accounts come from aws_iam_role rows and from
-- successful aws_iam_role syncs before the evaluation moment, so an
-- account whose roles were read but hold none still fails. An account
-- whose roles could not be read gets only the engine's blind spot result.
WITH clock AS (
    SELECT coalesce(getvariable('stance_at')::TIMESTAMPTZ, now()) AS evaluated_at
),
synced AS (
    SELECT DISTINCT p.account_id
    FROM stance_sync_partition AS p
    JOIN stance_sync_run AS r USING (run_id)
    CROSS JOIN clock
    WHERE p.table_name = 'aws_iam_role' AND p.status = 'ok' AND r.sync_time <= clock.evaluated_at
),
accounts AS (
    SELECT account_id FROM synced
    UNION
    SELECT account_id FROM aws_iam_role
),
attachments AS (
    SELECT account_id, role_name, arn, unnest(attached_policy_arns) AS policy_arn
    FROM aws_iam_role
),
support_roles AS (
    SELECT account_id, string_agg(coalesce(role_name, arn), ', ' ORDER BY role_name) AS role_names
    FROM attachments
    WHERE regexp_full_match(policy_arn, 'arn:aws[a-z-]*:iam::aws:policy/AWSSupportAccess')
    GROUP BY account_id
),
role_counts AS (
    SELECT
        account_id,
        count(*) AS roles,
        count(*) FILTER (WHERE attached_policy_arns IS NULL) AS unknown_roles,
        -- The partition (aws, aws-cn, aws-us-gov) for the policy ARN.
        any_value(split_part(arn, ':', 2)) AS partition
    FROM aws_iam_role
    GROUP BY account_id
)
SELECT
    a.account_id AS resource,
    a.account_id,
    'global' AS region,
    coalesce(c.partition, 'aws') AS partition,
    CASE
        WHEN s.role_names IS NOT NULL THEN 'pass'
        WHEN c.unknown_roles > 0 THEN 'skip'
        ELSE 'fail'
    END AS status,
    'account ' || a.account_id || CASE
        WHEN s.role_names IS NOT NULL THEN ' has AWSSupportAccess attached to role ' || s.role_names
        WHEN c.unknown_roles > 0 THEN ' has no role known to have AWSSupportAccess, and the attached policies of '
            || c.unknown_roles || ' of its ' || c.roles || ' roles are unknown'
        WHEN c.roles IS NULL THEN ' has no IAM role, so none has AWSSupportAccess attached'
        ELSE ' has no role with AWSSupportAccess attached among its ' || c.roles || ' roles'
    END AS reason
FROM accounts AS a
LEFT JOIN support_roles AS s USING (account_id)
LEFT JOIN role_counts AS c USING (account_id)
