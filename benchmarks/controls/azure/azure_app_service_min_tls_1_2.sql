-- One result per web app. 1.2 and 1.3 pass. NULL means the site
-- configuration could not be read and gives skip.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN min_tls_version IS NULL THEN 'skip'
        WHEN min_tls_version IN ('1.2', '1.3') THEN 'pass'
        ELSE 'fail'
    END AS status,
    'web app ' || name || CASE
        WHEN min_tls_version IS NULL THEN ' was not evaluated: its site configuration was not synced'
        WHEN min_tls_version IN ('1.2', '1.3') THEN ' requires TLS ' || min_tls_version || ' or later'
        ELSE ' accepts TLS ' || min_tls_version || ', older than TLS 1.2'
    END AS reason
FROM azure_app_service_web_app
