-- One result per storage account that receives the activity log of a
-- subscription through a diagnostic setting. The account is looked up
-- among the storage accounts of every synced subscription, and the result
-- is skip when none has it. Subscriptions that export their activity log
-- elsewhere only get no result.
WITH target AS (
    SELECT
        d.storage_account_id,
        string_agg(DISTINCT d.account_id, ', ') AS subscriptions
    FROM azure_monitor_diagnostic_setting d
    WHERE d.resource_id = '/subscriptions/' || lower(d.account_id)
      AND d.storage_account_id IS NOT NULL
    GROUP BY d.storage_account_id
)
SELECT
    t.storage_account_id AS resource,
    coalesce(a.account_id, regexp_extract(t.storage_account_id, '^/subscriptions/([^/]+)', 1)) AS account_id,
    coalesce(a.region, 'global') AS region,
    a.name,
    a.resource_group,
    CASE
        WHEN a.id IS NULL THEN 'skip'
        WHEN lower(a.encryption_key_source) = 'microsoft.keyvault' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'storage account ' || coalesce(a.name, t.storage_account_id) || ' receives the activity log of subscriptions ' || t.subscriptions || CASE
        WHEN a.id IS NULL THEN ' and was not evaluated: it is not in any synced subscription'
        WHEN lower(a.encryption_key_source) = 'microsoft.keyvault' THEN ' and is encrypted with a customer-managed key'
        ELSE ' and is encrypted with a Microsoft-managed key'
    END AS reason
FROM target t
LEFT JOIN azure_storage_account a ON a.id = t.storage_account_id
