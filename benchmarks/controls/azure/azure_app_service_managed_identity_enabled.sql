-- One result per web app. Any managed identity, system-assigned or
-- user-assigned, passes.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN identity_type IS NOT NULL AND lower(identity_type) <> 'none' THEN 'pass' ELSE 'fail' END AS status,
    'web app ' || name || CASE
        WHEN identity_type IS NOT NULL AND lower(identity_type) <> 'none' THEN ' has a ' || identity_type || ' managed identity'
        ELSE ' has no managed identity, so it must keep credentials for other services in its settings'
    END AS reason
FROM azure_app_service_web_app
