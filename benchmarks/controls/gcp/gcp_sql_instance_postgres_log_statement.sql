-- Judges every PostgreSQL instance (databaseVersion POSTGRES_*) by the database
-- flag 'log_statement', compared case-insensitively. An instance that does not
-- set the flag runs with the engine's default, none.
WITH instance AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        coalesce(from_json((raw->'$.settings.databaseFlags'), '[{"name": "VARCHAR", "value": "VARCHAR"}]'), []) AS flags
    FROM gcp_sql_instance
    WHERE (raw->>'$.databaseVersion') LIKE 'POSTGRES\_%' ESCAPE '\'
),
flagged AS (
    SELECT
        *,
        lower((SELECT f.value FROM unnest(flags) AS t(f) WHERE f.name = 'log_statement' LIMIT 1)) AS flag_value,
        array_to_string(list_transform(list_filter(flags, lambda f: f.name <> 'log_statement'), lambda f: f.name || '=' || coalesce(f.value, '')), ',') AS other_flags
    FROM instance
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    instance,
    concat_ws(',', nullif(other_flags, ''), 'log_statement=ddl') AS fix_flags,
    CASE WHEN coalesce(flag_value, 'none') IN ('ddl', 'mod', 'all') THEN 'pass' ELSE 'fail' END AS status,
    'PostgreSQL instance ' || instance || CASE WHEN flag_value IS NULL THEN ' does not set log_statement, so it is none'
              ELSE ' sets log_statement to ' || flag_value END AS reason
FROM flagged
