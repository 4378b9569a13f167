-- Every SQL Server instance passes only when it does not set the flag
-- 'user options'; any value fails.
WITH instance AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        coalesce(from_json((raw->'$.settings.databaseFlags'), '[{"name": "VARCHAR", "value": "VARCHAR"}]'), []) AS flags
    FROM gcp_sql_instance
    WHERE (raw->>'$.databaseVersion') LIKE 'SQLSERVER\_%' ESCAPE '\'
),
flagged AS (
    SELECT
        *,
        lower((SELECT f.value FROM unnest(flags) AS t(f) WHERE f.name = 'user options' LIMIT 1)) AS flag_value,
        array_to_string(list_transform(list_filter(flags, lambda f: f.name <> 'user options'), lambda f: f.name || '=' || coalesce(f.value, '')), ',') AS other_flags
    FROM instance
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    instance,
    other_flags AS fix_flags,
    CASE WHEN flag_value IS NULL THEN 'pass' ELSE 'fail' END AS status,
    'SQL Server instance ' || instance || CASE WHEN flag_value IS NULL THEN ' does not set user options' ELSE ' sets user options to ' || flag_value END AS reason
FROM flagged
