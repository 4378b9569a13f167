-- sslMode replaced requireSsl: when sslMode is set it decides, and
-- ALLOW_UNENCRYPTED_AND_ENCRYPTED fails even with requireSsl true.
-- Without sslMode, requireSsl true passes.
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS instance,
    CASE
        WHEN (raw->>'$.settings.ipConfiguration.sslMode') IN ('ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') THEN 'pass'
        WHEN (raw->>'$.settings.ipConfiguration.sslMode') IS NULL AND (raw->>'$.settings.ipConfiguration.requireSsl') = 'true' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'instance ' || regexp_extract(asset_name, '[^/]+$') || CASE
        WHEN (raw->>'$.settings.ipConfiguration.sslMode') IS NOT NULL THEN ' has sslMode ' || (raw->>'$.settings.ipConfiguration.sslMode')
        WHEN (raw->>'$.settings.ipConfiguration.requireSsl') = 'true' THEN ' requires SSL (requireSsl true)'
        ELSE ' accepts unencrypted connections (no sslMode, requireSsl ' || coalesce((raw->>'$.settings.ipConfiguration.requireSsl'), 'unset') || ')'
    END AS reason
FROM gcp_sql_instance
