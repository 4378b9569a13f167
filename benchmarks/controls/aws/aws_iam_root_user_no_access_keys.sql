-- One row per account known to either table. The account summary is read
-- live, and the credential report can be up to 4 hours old, so a key shown
-- by either source fails. An inactive key fails too, because it still
-- exists and can be switched back on. The report shows such a key by its
-- rotation time.
WITH summary AS (
    SELECT account_id, account_access_keys_present
    FROM aws_iam_account_summary
),
root_line AS (
    SELECT
        account_id,
        access_key_1_active,
        access_key_2_active,
        coalesce(access_key_1_active, false) OR access_key_1_last_rotated IS NOT NULL AS key_1_exists,
        coalesce(access_key_2_active, false) OR access_key_2_last_rotated IS NOT NULL AS key_2_exists
    FROM aws_iam_credential_report
    WHERE "user" = '<root_account>'
),
accounts AS (
    SELECT account_id FROM summary
    UNION
    SELECT account_id FROM root_line
),
judged AS (
    SELECT
        a.account_id,
        s.account_access_keys_present,
        r.account_id IS NOT NULL AS has_root_line,
        r.access_key_1_active,
        r.access_key_2_active,
        r.key_1_exists,
        r.key_2_exists,
        coalesce(s.account_access_keys_present > 0, false)
            OR coalesce(r.key_1_exists, false)
            OR coalesce(r.key_2_exists, false) AS key_found,
        -- The report proves absence only when both key fields were read.
        r.access_key_1_active IS NOT NULL AND r.access_key_2_active IS NOT NULL
            AND NOT r.key_1_exists AND NOT r.key_2_exists AS report_shows_none
    FROM accounts AS a
    LEFT JOIN summary AS s USING (account_id)
    LEFT JOIN root_line AS r USING (account_id)
)
SELECT
    account_id AS resource,
    account_id,
    'global' AS region,
    CASE
        WHEN key_found THEN 'fail'
        WHEN account_access_keys_present = 0 OR coalesce(report_shows_none, false) THEN 'pass'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN key_found THEN 'the root user of account ' || account_id || ' has an access key: ' || concat_ws(', ',
            CASE WHEN account_access_keys_present > 0 THEN 'the account summary reports AccountAccessKeysPresent '
                || account_access_keys_present END,
            CASE WHEN access_key_1_active THEN 'the credential report shows key 1 active'
                WHEN key_1_exists THEN 'the credential report shows key 1 inactive but not deleted' END,
            CASE WHEN access_key_2_active THEN 'the credential report shows key 2 active'
                WHEN key_2_exists THEN 'the credential report shows key 2 inactive but not deleted' END)
        WHEN account_access_keys_present = 0 OR coalesce(report_shows_none, false)
            THEN 'the root user of account ' || account_id || ' has no access key according to ' || concat_ws(' and ',
                CASE WHEN account_access_keys_present = 0 THEN 'the account summary' END,
                CASE WHEN report_shows_none THEN 'the credential report' END)
        ELSE 'root access keys of account ' || account_id || ' are unknown: the account summary has '
            || 'no AccountAccessKeysPresent value and the credential report has '
            || CASE WHEN has_root_line THEN 'no key status on its root line' ELSE 'no root line' END
    END AS reason
FROM judged
