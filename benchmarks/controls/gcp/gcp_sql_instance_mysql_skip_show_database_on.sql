-- Judges every MySQL instance (databaseVersion MYSQL_*) by the database
-- flag 'skip_show_database', compared case-insensitively. An instance that does not
-- set the flag runs with the engine's default, off.
WITH instance AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        coalesce(from_json((raw->'$.settings.databaseFlags'), '[{"name": "VARCHAR", "value": "VARCHAR"}]'), []) AS flags
    FROM gcp_sql_instance
    WHERE (raw->>'$.databaseVersion') LIKE 'MYSQL\_%' ESCAPE '\'
),
flagged AS (
    SELECT
        *,
        lower((SELECT f.value FROM unnest(flags) AS t(f) WHERE f.name = 'skip_show_database' LIMIT 1)) AS flag_value,
        array_to_string(list_transform(list_filter(flags, lambda f: f.name <> 'skip_show_database'), lambda f: f.name || '=' || coalesce(f.value, '')), ',') AS other_flags
    FROM instance
)
SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    instance,
    concat_ws(',', nullif(other_flags, ''), 'skip_show_database=on') AS fix_flags,
    CASE WHEN coalesce(flag_value, 'off') IN ('on') THEN 'pass' ELSE 'fail' END AS status,
    'MySQL instance ' || instance || CASE WHEN flag_value IS NULL THEN ' does not set skip_show_database, so it is off'
              ELSE ' sets skip_show_database to ' || flag_value END AS reason
FROM flagged
