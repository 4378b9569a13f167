-- One result per SQL server. NULL means the TDE protector could not be
-- read, which gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name AS server_name,
    resource_group,
    CASE
        WHEN tde_protector_server_key_type IS NULL THEN 'skip'
        WHEN tde_protector_server_key_type = 'AzureKeyVault' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'SQL server ' || name || CASE
        WHEN tde_protector_server_key_type IS NULL THEN ' was not evaluated: its TDE protector was not synced'
        WHEN tde_protector_server_key_type = 'AzureKeyVault' THEN ' protects TDE keys with customer-managed key ' || coalesce(tde_protector_uri, tde_protector_server_key_name, '?')
        ELSE ' protects TDE keys with a service-managed key'
    END AS reason
FROM azure_sql_server
