-- One result per storage account. keyCreationTime (read from raw) is the
-- time each of the two keys was created or last regenerated. A key without
-- a time predates that tracking, so it is at least as old as the feature
-- and fails. An account with Shared Key access disabled passes, because its
-- keys authorize nothing.
WITH account AS (
    SELECT
        *,
        TRY_CAST(json_extract_string(raw, '$.properties.keyCreationTime.key1') AS TIMESTAMPTZ) AS key1_created,
        TRY_CAST(json_extract_string(raw, '$.properties.keyCreationTime.key2') AS TIMESTAMPTZ) AS key2_created
    FROM azure_storage_account
),
judged AS (
    SELECT
        *,
        allow_shared_key_access = false AS keys_disabled,
        key1_created IS NOT NULL AND key1_created > stance_now() - INTERVAL 90 DAY AS key1_recent,
        key2_created IS NOT NULL AND key2_created > stance_now() - INTERVAL 90 DAY AS key2_recent
    FROM account
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN keys_disabled OR (key1_recent AND key2_recent) THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN keys_disabled THEN ' rejects Shared Key authorization, so its access keys authorize nothing'
        WHEN key1_recent AND key2_recent THEN ' regenerated both access keys in the last 90 days'
        ELSE ' has an access key older than 90 days: key1 '
            || coalesce(strftime(key1_created, '%Y-%m-%d'), 'never regenerated')
            || ', key2 ' || coalesce(strftime(key2_created, '%Y-%m-%d'), 'never regenerated')
    END AS reason,
    CASE WHEN key1_recent THEN 'secondary' ELSE 'primary' END AS stale_key
FROM judged
