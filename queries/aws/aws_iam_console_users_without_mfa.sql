-- title: Console users without MFA
-- description: IAM users who can sign in to the console with a password and have no MFA device, from the IAM credential report.
SELECT account_id, "user", password_last_used
FROM aws_iam_credential_report
WHERE "user" <> '<root_account>' AND password_enabled AND NOT mfa_active
ORDER BY account_id, "user"
