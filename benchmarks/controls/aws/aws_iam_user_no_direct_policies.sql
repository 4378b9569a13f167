-- One row per IAM user. inline_policies is an object of policy name to
-- document. A NULL column, a JSON null or any other shape means the sync
-- could not read it, so the user is skipped unless the other column
-- already fails it.
WITH policies AS (
    SELECT
        arn,
        user_name,
        account_id,
        region,
        attached_policy_arns,
        CASE WHEN json_type(inline_policies) = 'OBJECT' THEN json_keys(inline_policies) END AS inline_names
    FROM aws_iam_user
)
SELECT
    arn AS resource,
    user_name,
    account_id,
    region,
    CASE
        WHEN len(attached_policy_arns) > 0 OR len(inline_names) > 0 THEN 'fail'
        WHEN attached_policy_arns IS NULL OR inline_names IS NULL THEN 'skip'
        ELSE 'pass'
    END AS status,
    'IAM user ' || coalesce(user_name, arn) || CASE
        WHEN len(attached_policy_arns) > 0 OR len(inline_names) > 0 THEN ' has policies attached to the user itself: ' || concat_ws('; ',
            CASE WHEN len(attached_policy_arns) > 0 THEN 'managed ' || array_to_string(attached_policy_arns, ', ') END,
            CASE WHEN len(inline_names) > 0 THEN 'inline ' || array_to_string(inline_names, ', ') END)
        WHEN attached_policy_arns IS NULL OR inline_names IS NULL THEN ' could not be evaluated, because its '
            || concat_ws(' and ',
                CASE WHEN attached_policy_arns IS NULL THEN 'attached policies' END,
                CASE WHEN inline_names IS NULL THEN 'inline policies' END)
            || ' are unknown'
        ELSE ' has no managed or inline policy attached to the user itself'
    END AS reason
FROM policies
