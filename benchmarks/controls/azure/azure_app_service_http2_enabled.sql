-- One result per web app. NULL http20_enabled means the site configuration
-- could not be read and gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN http20_enabled IS NULL THEN 'skip'
        WHEN http20_enabled THEN 'pass'
        ELSE 'fail'
    END AS status,
    'web app ' || name || CASE
        WHEN http20_enabled IS NULL THEN ' was not evaluated: its site configuration was not synced'
        WHEN http20_enabled THEN ' accepts HTTP/2'
        ELSE ' serves only HTTP/1.1'
    END AS reason
FROM azure_app_service_web_app
