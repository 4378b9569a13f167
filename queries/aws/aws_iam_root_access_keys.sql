-- title: Root users with active access keys
-- description: Accounts whose root user has an active access key, from the IAM credential report.
SELECT account_id, access_key_1_active, access_key_1_last_used_date,
       access_key_2_active, access_key_2_last_used_date
FROM aws_iam_credential_report
WHERE "user" = '<root_account>'
  AND (access_key_1_active OR access_key_2_active)
ORDER BY account_id
