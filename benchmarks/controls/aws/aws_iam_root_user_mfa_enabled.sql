-- GetAccountSummary often omits AccountPasswordPresent, so a NULL
-- account_password_present counts as a password being present. Only an
-- explicit 0 proves that the root password was removed.
SELECT
    account_id AS resource,
    account_id,
    'global' AS region,
    CASE
        WHEN account_mfa_enabled = 1 THEN 'pass'
        WHEN account_password_present = 0 THEN 'pass'
        WHEN account_mfa_enabled = 0 THEN 'fail'
        ELSE 'skip'
    END AS status,
    'the root user of account ' || account_id || CASE
        WHEN account_mfa_enabled = 1 THEN ' has an MFA device'
        WHEN account_password_present = 0 THEN ' has no password, so nobody can sign in as root'
        WHEN account_mfa_enabled = 0 THEN ' has no MFA device and '
            || CASE WHEN account_password_present = 1 THEN 'has a password'
                ELSE 'may have a password (the account summary omits AccountPasswordPresent)' END
        ELSE ' has an unknown MFA status: the account summary omits AccountMFAEnabled'
    END AS reason
FROM aws_iam_account_summary
