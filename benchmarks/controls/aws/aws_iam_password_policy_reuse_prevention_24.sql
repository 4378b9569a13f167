-- aws_iam_password_policy has exactly one row per synced account, with
-- exists false when AWS defaults apply. A NULL password_reuse_prevention
-- in a custom policy means reuse is allowed. The other settings are
-- returned for the remediation command, which must repeat them.
SELECT
    account_id AS resource,
    account_id,
    'global' AS region,
    minimum_password_length,
    -- Kept at the benchmark's 14 or more, so that this command does not
    -- undo the fix of the length control.
    greatest(coalesce(minimum_password_length, 14), 14) AS minimum_password_length_fixed,
    require_symbols,
    require_numbers,
    require_uppercase_characters,
    require_lowercase_characters,
    allow_users_to_change_password,
    max_password_age,
    password_reuse_prevention,
    hard_expiry,
    CASE
        WHEN "exists" IS NULL THEN 'skip'
        WHEN "exists" AND password_reuse_prevention >= 24 THEN 'pass'
        ELSE 'fail'
    END AS status,
    'account ' || account_id || CASE
        WHEN "exists" IS NULL THEN ' has an unknown password policy'
        WHEN NOT "exists" THEN ' has no custom password policy, so users may reuse old passwords'
        WHEN password_reuse_prevention IS NULL THEN ' has a password policy that allows password reuse'
        WHEN password_reuse_prevention < 24
            THEN ' blocks reuse of only the last ' || password_reuse_prevention || ' passwords, not 24'
        ELSE ' blocks reuse of the last ' || password_reuse_prevention || ' passwords'
    END AS reason
FROM aws_iam_password_policy
