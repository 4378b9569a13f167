-- One result per SQL server with auditing enabled. Retention 0 means the
-- logs are kept forever. Audit logs sent only to Azure Monitor (no storage
-- endpoint) are kept by the Log Analytics workspace, whose retention is not
-- synced, so they give skip.
SELECT
    id AS resource,
    account_id,
    region,
    name AS server_name,
    resource_group,
    CASE
        WHEN auditing_storage_endpoint IS NULL AND coalesce(auditing_is_azure_monitor_target_enabled, false) THEN 'skip'
        WHEN auditing_retention_days = 0 OR auditing_retention_days >= 90 THEN 'pass'
        ELSE 'fail'
    END AS status,
    'SQL server ' || name || CASE
        WHEN auditing_storage_endpoint IS NULL AND coalesce(auditing_is_azure_monitor_target_enabled, false)
            THEN ' was not evaluated: it sends audit logs only to Azure Monitor, whose workspace retention is not synced'
        WHEN auditing_retention_days = 0 THEN ' keeps audit logs forever'
        WHEN auditing_retention_days >= 90 THEN ' keeps audit logs for ' || auditing_retention_days || ' days'
        ELSE ' keeps audit logs for ' || coalesce(auditing_retention_days::VARCHAR, 'an unknown number of') || ' days, fewer than 90'
    END AS reason
FROM azure_sql_server
WHERE lower(auditing_state) = 'enabled'
