-- One result per project. It passes when an enabled log-based metric of
-- the project has a filter that names Cloud SQL instance configuration changes, and an
-- enabled alert policy of the project has a condition on that metric
-- (logging.googleapis.com/user/METRIC). Filters are compared after
-- lowercasing and removing spaces and quotes: a filter passes when it
-- contains every term of the CIS filter, in any order and with more terms.
-- NOTE: a filter that contains the terms but negates them (NOT) still
-- passes; stance does not parse the logging query language.
WITH metric AS (
    SELECT
        account_id,
        regexp_extract(asset_name, '[^/]+$') AS metric_name
    FROM gcp_logging_metric
    WHERE coalesce((raw->>'$.disabled'), 'false') <> 'true'
      AND list_bool_and(list_transform(['protopayload.methodname=cloudsql.instances.update'],
              lambda term: contains(regexp_replace(lower(coalesce((raw->>'$.filter'), '')), '[\s"''`]', '', 'g'), term)))
),
alerted AS (
    SELECT DISTINCT
        m.account_id,
        m.metric_name
    FROM metric m
    JOIN gcp_monitoring_alert_policy a
      ON a.account_id = m.account_id
     AND coalesce((a.raw->>'$.enabled'), 'true') = 'true'
     AND contains(CAST((a.raw->'$.conditions') AS VARCHAR), 'logging.googleapis.com/user/' || m.metric_name)
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    CASE WHEN al.metric_name IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'project ' || p.account_id || CASE
        WHEN al.metric_name IS NOT NULL THEN ' alerts on metric ' || al.metric_name || ', which counts Cloud SQL instance configuration changes'
        WHEN m.metric_name IS NOT NULL THEN ' has metric ' || m.metric_name || ' for Cloud SQL instance configuration changes, but no enabled alert policy on it'
        ELSE ' has no log-based metric whose filter covers Cloud SQL instance configuration changes'
    END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN (SELECT account_id, min(metric_name) AS metric_name FROM alerted GROUP BY account_id) al ON al.account_id = p.account_id
LEFT JOIN (SELECT account_id, min(metric_name) AS metric_name FROM metric GROUP BY account_id) m ON m.account_id = p.account_id
