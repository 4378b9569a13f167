-- One row per IAM user of the credential report, root excluded. Report
-- values N/A (never used) and no_information arrive as NULL, so the last
-- use of a credential falls back to the time it was set, then to the
-- user's creation time. Ages count from the evaluation moment, which is
-- stance_at when a run looks at the past and now otherwise.
WITH clock AS (
    SELECT coalesce(getvariable('stance_at')::TIMESTAMPTZ, now()) AS evaluated_at
),
credentials AS (
    SELECT
        r.user_arn,
        r."user",
        r.account_id,
        r.region,
        r.password_enabled,
        r.access_key_1_active,
        r.access_key_2_active,
        CASE WHEN r.password_enabled
            THEN coalesce(r.password_last_used, r.password_last_changed, r.user_creation_time) END AS password_seen,
        CASE WHEN r.access_key_1_active
            THEN coalesce(r.access_key_1_last_used_date, r.access_key_1_last_rotated, r.user_creation_time) END AS key_1_seen,
        CASE WHEN r.access_key_2_active
            THEN coalesce(r.access_key_2_last_used_date, r.access_key_2_last_rotated, r.user_creation_time) END AS key_2_seen,
        clock.evaluated_at - INTERVAL 45 DAY AS cutoff
    FROM aws_iam_credential_report AS r, clock
    WHERE r."user" IS DISTINCT FROM '<root_account>'
),
judged AS (
    SELECT
        *,
        concat_ws(', ',
            CASE WHEN password_seen <= cutoff THEN 'console password last used or set '
                || strftime(password_seen AT TIME ZONE 'UTC', '%Y-%m-%d') END,
            CASE WHEN key_1_seen <= cutoff THEN 'access key 1 last used or set '
                || strftime(key_1_seen AT TIME ZONE 'UTC', '%Y-%m-%d') END,
            CASE WHEN key_2_seen <= cutoff THEN 'access key 2 last used or set '
                || strftime(key_2_seen AT TIME ZONE 'UTC', '%Y-%m-%d') END) AS stale_credentials,
        concat_ws(', ',
            CASE WHEN password_enabled IS NULL THEN 'console password status' END,
            CASE WHEN access_key_1_active IS NULL THEN 'access key 1 status' END,
            CASE WHEN access_key_2_active IS NULL THEN 'access key 2 status' END,
            CASE WHEN password_enabled AND password_seen IS NULL THEN 'console password last use' END,
            CASE WHEN access_key_1_active AND key_1_seen IS NULL THEN 'access key 1 last use' END,
            CASE WHEN access_key_2_active AND key_2_seen IS NULL THEN 'access key 2 last use' END) AS unknown_fields,
        concat_ws(' and ',
            CASE WHEN password_enabled THEN 'console password' END,
            CASE WHEN access_key_1_active THEN 'access key 1' END,
            CASE WHEN access_key_2_active THEN 'access key 2' END) AS enabled_credentials
    FROM credentials
)
SELECT
    user_arn AS resource,
    "user" AS user_name,
    account_id,
    region,
    CASE
        WHEN stale_credentials <> '' THEN 'fail'
        WHEN unknown_fields <> '' THEN 'skip'
        ELSE 'pass'
    END AS status,
    'IAM user ' || coalesce("user", user_arn) || CASE
        WHEN stale_credentials <> '' THEN ' has credentials unused for 45 days or more: ' || stale_credentials
        WHEN unknown_fields <> '' THEN ' could not be evaluated, because the credential report lacks its ' || unknown_fields
        WHEN enabled_credentials = '' THEN ' has no enabled console password and no active access key'
        ELSE ' used or set its ' || enabled_credentials || ' within the last 45 days'
    END AS reason
FROM judged
