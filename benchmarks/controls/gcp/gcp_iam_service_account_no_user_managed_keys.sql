-- One result per service account. Keys that Google manages (keyType
-- SYSTEM_MANAGED) do not count; every other key does, disabled ones too,
-- because a disabled key can be enabled again. A key whose service account
-- is not in gcp_iam_service_account is still reported, under the account's
-- name taken from the key's.
-- NOTE: a key whose keyType is not reported counts as user-managed.
WITH user_key AS (
    SELECT
        account_id,
        regexp_extract(asset_name, '^(.*)/keys/[^/]+$', 1) AS account_asset,
        regexp_extract(asset_name, 'keys/([^/]+)$', 1) AS key_id,
        left((raw->>'$.validAfterTime'), 10) AS created
    FROM gcp_iam_service_account_key
    WHERE coalesce((raw->>'$.keyType'), 'USER_MANAGED') <> 'SYSTEM_MANAGED'
),
account AS (
    SELECT asset_name AS account_asset, account_id, region FROM gcp_iam_service_account
    UNION
    SELECT DISTINCT account_asset, account_id, 'global' FROM user_key
),
by_account AS (
    SELECT
        a.account_asset,
        a.account_id,
        a.region,
        count(k.key_id) AS keys,
        min(k.key_id) AS first_key,
        string_agg(k.key_id || ' (created ' || coalesce(k.created, 'on an unreported date') || ')', ', ' ORDER BY k.key_id) AS key_list
    FROM account a
    LEFT JOIN user_key k ON k.account_asset = a.account_asset
    GROUP BY a.account_asset, a.account_id, a.region
)
SELECT
    account_asset AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(account_asset, 'serviceAccounts/([^/]+)$', 1) AS service_account_email,
    first_key AS key_id,
    CASE WHEN keys > 0 THEN 'fail' ELSE 'pass' END AS status,
    'service account ' || regexp_extract(account_asset, 'serviceAccounts/([^/]+)$', 1) || CASE
        WHEN keys > 0 THEN ' has ' || keys || ' user-managed key(s): ' || key_list
        ELSE ' has no user-managed keys'
    END AS reason
FROM by_account
