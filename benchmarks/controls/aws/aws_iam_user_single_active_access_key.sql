-- One row per IAM user that owns a key. The root user's keys are not in
-- aws_iam_access_key, and aws_iam_root_user_no_access_keys covers them. A
-- key whose status is NULL could be active, so it can turn a pass into a
-- skip but never into a fail.
WITH per_user AS (
    SELECT
        user_arn,
        any_value(user_name) AS user_name,
        account_id,
        any_value(region) AS region,
        count(*) FILTER (WHERE lower(status) = 'active') AS active_keys,
        count(*) FILTER (WHERE status IS NULL) AS unknown_keys,
        string_agg(access_key_id, ', ' ORDER BY access_key_id) FILTER (WHERE lower(status) = 'active') AS active_key_ids,
        arg_min(access_key_id, coalesce(last_used_date, create_date))
            FILTER (WHERE lower(status) = 'active') AS least_recent_key_id
    FROM aws_iam_access_key
    GROUP BY user_arn, account_id
)
SELECT
    user_arn AS resource,
    user_name,
    least_recent_key_id,
    account_id,
    region,
    CASE
        WHEN active_keys > 1 THEN 'fail'
        WHEN active_keys + unknown_keys > 1 THEN 'skip'
        ELSE 'pass'
    END AS status,
    'IAM user ' || coalesce(user_name, user_arn) || CASE
        WHEN active_keys > 1 THEN ' has ' || active_keys || ' active access keys: ' || active_key_ids
        WHEN active_keys + unknown_keys > 1 THEN ' has ' || active_keys || ' active access keys and '
            || unknown_keys || ' of unknown status'
        WHEN active_keys = 1 THEN ' has one active access key, ' || active_key_ids
        ELSE ' has no active access key'
    END AS reason
FROM per_user
