-- One row per IAM user of the credential report. The root line is left
-- out, since its password_enabled is always not_supported (NULL). A NULL
-- password_enabled on a user's line is unknown, and a NULL mfa_active on
-- a user with a password fails.
SELECT
    user_arn AS resource,
    "user" AS user_name,
    account_id,
    region,
    CASE
        WHEN password_enabled IS NULL THEN 'skip'
        WHEN NOT password_enabled THEN 'pass'
        WHEN mfa_active THEN 'pass'
        ELSE 'fail'
    END AS status,
    'IAM user ' || coalesce("user", user_arn) || CASE
        WHEN password_enabled IS NULL THEN ' has an unknown console password status in the credential report'
        WHEN NOT password_enabled THEN ' has no console password'
        WHEN mfa_active THEN ' has a console password and an MFA device'
        ELSE ' has a console password but '
            || CASE WHEN mfa_active IS NULL THEN 'an unknown MFA status' ELSE 'no MFA device' END
            || ' in the credential report generated '
            || coalesce(strftime(generated_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'), 'at an unknown time')
    END AS reason
FROM aws_iam_credential_report
WHERE "user" IS DISTINCT FROM '<root_account>'
