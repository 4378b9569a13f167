-- One result per enabled key of a key vault that uses Azure RBAC. A NULL
-- enable_rbac_authorization means access policies, as the API treats a
-- missing value. Disabled keys get no result. The vault is looked up by
-- vault_id, so a key whose vault was not synced gets no result either.
SELECT
    o.id AS resource,
    o.account_id,
    o.region,
    o.name,
    o.vault_name,
    CASE WHEN o.expires IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'key ' || o.name || ' in RBAC key vault ' || o.vault_name || CASE
        WHEN o.expires IS NOT NULL THEN ' expires on ' || strftime(o.expires, '%Y-%m-%d')
        ELSE ' has no expiration date'
    END AS reason
FROM azure_key_vault_key o
JOIN azure_key_vault v ON v.id = o.vault_id
WHERE coalesce(o.enabled, true)
  AND coalesce(v.enable_rbac_authorization, false)
