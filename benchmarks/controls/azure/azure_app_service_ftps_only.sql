-- One result per web app. FtpsOnly and Disabled pass; AllAllowed fails.
-- NULL means the site configuration could not be read and gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN ftps_state IS NULL THEN 'skip'
        WHEN ftps_state IN ('FtpsOnly', 'Disabled') THEN 'pass'
        ELSE 'fail'
    END AS status,
    'web app ' || name || CASE
        WHEN ftps_state IS NULL THEN ' was not evaluated: its site configuration was not synced'
        WHEN ftps_state = 'Disabled' THEN ' does not accept FTP deployments'
        WHEN ftps_state = 'FtpsOnly' THEN ' accepts FTP deployments only over TLS'
        ELSE ' accepts plain FTP deployments (' || ftps_state || '), which send credentials in clear text'
    END AS reason
FROM azure_app_service_web_app
