-- One result per SQL server. NULL auditing_state means the auditing policy
-- could not be read, which gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name AS server_name,
    resource_group,
    CASE
        WHEN auditing_state IS NULL THEN 'skip'
        WHEN lower(auditing_state) = 'enabled' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'SQL server ' || name || CASE
        WHEN auditing_state IS NULL THEN ' was not evaluated: its auditing policy was not synced'
        WHEN lower(auditing_state) = 'enabled' THEN ' audits its databases'
        ELSE ' has auditing ' || auditing_state
    END AS reason
FROM azure_sql_server
