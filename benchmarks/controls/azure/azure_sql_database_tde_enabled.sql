-- One result per user database; the master database is left out because its
-- encryption cannot be changed. NULL means the TDE state could not be read,
-- which gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    server_name,
    resource_group,
    CASE
        WHEN transparent_data_encryption_state IS NULL THEN 'skip'
        WHEN lower(transparent_data_encryption_state) = 'enabled' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'database ' || name || ' on SQL server ' || server_name || CASE
        WHEN transparent_data_encryption_state IS NULL THEN ' was not evaluated: its Transparent Data Encryption state was not synced'
        WHEN lower(transparent_data_encryption_state) = 'enabled' THEN ' is encrypted with Transparent Data Encryption'
        ELSE ' has Transparent Data Encryption ' || transparent_data_encryption_state
    END AS reason
FROM azure_sql_database
WHERE lower(name) <> 'master'
