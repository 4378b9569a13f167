-- One result per enabled key. auto_rotation_enabled is true when the key's
-- rotation policy has a Rotate action, and NULL when the key has no
-- rotation policy at all, which fails too.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    vault_name,
    CASE WHEN coalesce(auto_rotation_enabled, false) THEN 'pass' ELSE 'fail' END AS status,
    'key ' || name || ' in key vault ' || vault_name || CASE
        WHEN auto_rotation_enabled THEN ' rotates automatically'
        WHEN auto_rotation_enabled IS NULL THEN ' has no rotation policy'
        ELSE ' has a rotation policy without a Rotate action, so it only notifies'
    END AS reason
FROM azure_key_vault_key
WHERE coalesce(enabled, true)
