-- One result per project. A sink counts when it is enabled and has no
-- filter (NULL or empty), and is either the project's own or an
-- organization or folder sink with includeChildren true above the project.
-- The project's ancestors come from its gcp_asset row.
WITH full_sink AS (
    SELECT
        asset_name,
        account_id,
        regexp_extract(asset_name, '^//logging\.googleapis\.com/((?:projects|folders|organizations)/[^/]+)/sinks/', 1) AS owner,
        coalesce((raw->>'$.includeChildren') = 'true', false) AS include_children,
        regexp_extract(asset_name, '[^/]+$') AS sink_name
    FROM gcp_logging_sink
    WHERE coalesce(trim((raw->>'$.filter')), '') = ''
      AND coalesce((raw->>'$.disabled'), 'false') <> 'true'
),
project AS (
    SELECT
        p.asset_name,
        p.account_id,
        p.region,
        coalesce(a.ancestors, []) AS ancestors
    FROM gcp_resourcemanager_project p
    LEFT JOIN gcp_asset a ON a.asset_name = p.asset_name
),
covered AS (
    SELECT
        p.asset_name,
        string_agg(s.sink_name || ' (' || s.owner || ')', ', ' ORDER BY s.sink_name) AS sinks
    FROM project p
    JOIN full_sink s
      ON s.owner = 'projects/' || p.account_id
      OR list_contains(p.ancestors, s.owner) AND (s.include_children OR s.owner LIKE 'projects/%')
    GROUP BY p.asset_name
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    CASE WHEN c.sinks IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'project ' || p.account_id || CASE
        WHEN c.sinks IS NOT NULL THEN ' exports every log entry through ' || c.sinks
        ELSE ' has no enabled sink without a filter, of its own or inherited with includeChildren'
    END AS reason
FROM project p
LEFT JOIN covered c ON c.asset_name = p.asset_name
