-- One result per storage account. NULL supports_https_traffic_only counts
-- as false: the property is always returned by current API versions, and an
-- account that does not report it cannot be shown to reject HTTP.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(supports_https_traffic_only, false) THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN supports_https_traffic_only THEN ' accepts only HTTPS requests'
        WHEN supports_https_traffic_only IS NULL THEN ' does not report whether secure transfer is required, so plain HTTP may be accepted'
        ELSE ' accepts plain HTTP requests (secure transfer required is off)'
    END AS reason
FROM azure_storage_account
