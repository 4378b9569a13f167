-- aws_iam_password_policy has exactly one row per synced account, with
-- exists false when AWS defaults apply. The other settings are returned
-- for the remediation command, which must repeat them.
SELECT
    account_id AS resource,
    account_id,
    'global' AS region,
    minimum_password_length,
    require_symbols,
    require_numbers,
    require_uppercase_characters,
    require_lowercase_characters,
    allow_users_to_change_password,
    max_password_age,
    password_reuse_prevention,
    -- The update replaces the whole policy: the command also keeps the
    -- reuse setting at the benchmark's 24 or more, so that the fixes of
    -- the two password controls do not undo each other.
    greatest(coalesce(password_reuse_prevention, 24), 24) AS password_reuse_prevention_fixed,
    hard_expiry,
    CASE
        WHEN "exists" IS NULL THEN 'skip'
        WHEN NOT "exists" THEN 'fail'
        WHEN minimum_password_length >= 14 THEN 'pass'
        WHEN minimum_password_length < 14 THEN 'fail'
        ELSE 'skip'
    END AS status,
    'account ' || account_id || CASE
        WHEN "exists" IS NULL THEN ' has an unknown password policy'
        WHEN NOT "exists" THEN ' has no custom password policy, so passwords of 8 characters are accepted'
        WHEN minimum_password_length IS NULL THEN ' has a password policy whose minimum length is unknown'
        WHEN minimum_password_length < 14
            THEN ' accepts passwords of ' || minimum_password_length || ' characters, fewer than 14'
        ELSE ' requires passwords of at least ' || minimum_password_length || ' characters'
    END AS reason
FROM aws_iam_password_policy
