-- One result per storage account. TLS1_2 and TLS1_3 pass. NULL means the
-- service default, which is TLS 1.0 for accounts created before November
-- 2024, so it fails.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN upper(minimum_tls_version) IN ('TLS1_2', 'TLS1_3') THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN upper(minimum_tls_version) IN ('TLS1_2', 'TLS1_3') THEN ' requires ' || minimum_tls_version || ' or later'
        WHEN minimum_tls_version IS NULL THEN ' sets no minimum TLS version, so it accepts TLS 1.0'
        ELSE ' accepts ' || minimum_tls_version || ', older than TLS 1.2'
    END AS reason
FROM azure_storage_account
