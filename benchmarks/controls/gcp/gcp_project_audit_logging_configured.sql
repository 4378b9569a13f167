-- One result per project, judged on the audit configs that apply to it:
-- its own and those it inherits from folders and the organization. It
-- passes when an allServices config enables both DATA_READ and DATA_WRITE
-- and no config on that chain exempts a member. Per-service configs add
-- to allServices but do not replace it.
WITH config AS (
    SELECT
        resource,
        bool_or(service = 'allServices' AND log_type = 'DATA_READ') AS data_read,
        bool_or(service = 'allServices' AND log_type = 'DATA_WRITE') AS data_write,
        string_agg(DISTINCT service || ' ' || log_type || ' exempts ' || array_to_string(exempted_members, ', '), '; ')
            FILTER (WHERE len(coalesce(exempted_members, [])) > 0) AS exemptions
    FROM gcp_iam_audit_config
    GROUP BY resource
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    CASE
        WHEN coalesce(c.data_read, false) AND coalesce(c.data_write, false) AND c.exemptions IS NULL THEN 'pass'
        ELSE 'fail'
    END AS status,
    'project ' || p.account_id || CASE
        WHEN c.resource IS NULL THEN ' has no Data Access audit config, on itself or above it'
        WHEN NOT coalesce(c.data_read, false) AND NOT coalesce(c.data_write, false) THEN ' has no allServices audit config for DATA_READ and DATA_WRITE'
        WHEN NOT coalesce(c.data_read, false) THEN ' does not log DATA_READ for allServices'
        WHEN NOT coalesce(c.data_write, false) THEN ' does not log DATA_WRITE for allServices'
        WHEN c.exemptions IS NOT NULL THEN ' exempts members from audit logging: ' || c.exemptions
        ELSE ' logs DATA_READ and DATA_WRITE for allServices without exemptions'
    END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN config c ON c.resource = p.asset_name
