-- One result per SQL server.
SELECT
    id AS resource,
    account_id,
    region,
    name AS server_name,
    resource_group,
    CASE WHEN entra_administrator_login IS NOT NULL OR entra_administrator_sid IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'SQL server ' || name || CASE
        WHEN entra_administrator_login IS NOT NULL OR entra_administrator_sid IS NOT NULL
            THEN ' has Microsoft Entra administrator ' || coalesce(entra_administrator_login, entra_administrator_sid)
        ELSE ' has no Microsoft Entra administrator, so only SQL logins can connect'
    END AS reason
FROM azure_sql_server
