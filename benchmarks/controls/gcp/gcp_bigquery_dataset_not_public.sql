-- A dataset is public through a binding of its IAM policy to allUsers or
-- allAuthenticatedUsers, or through an entry of its access list: the
-- special group allAuthenticatedUsers, or an iamMember of allUsers or
-- allAuthenticatedUsers. Both views of the same grant are listed. A dataset
-- known only from its IAM policy is judged on its bindings.
WITH dataset AS (
    SELECT
        asset_name,
        account_id,
        region,
        coalesce((raw->>'$.datasetReference.datasetId'), regexp_extract(asset_name, '[^/]+$')) AS dataset,
        list_filter(coalesce(from_json((raw->'$.access'), '[{"role": "VARCHAR", "specialGroup": "VARCHAR", "iamMember": "VARCHAR"}]'), []),
                    lambda e: e.specialGroup = 'allAuthenticatedUsers' OR e.iamMember IN ('allUsers', 'allAuthenticatedUsers')) AS public_access
    FROM gcp_bigquery_dataset
    UNION ALL BY NAME
    SELECT DISTINCT
        resource AS asset_name,
        account_id,
        region,
        regexp_extract(resource, '[^/]+$') AS dataset,
        [] AS public_access
    FROM gcp_iam_binding
    WHERE resource_type = 'bigquery.googleapis.com/Dataset'
      AND resource NOT IN (SELECT asset_name FROM gcp_bigquery_dataset)
),
public_grant AS (
    SELECT resource, string_agg(member || ' has ' || role || coalesce(' under the condition "' || coalesce(condition_title, condition_expression) || '"', ''), '; ' ORDER BY member, role) AS grants
    FROM gcp_iam_binding
    WHERE member IN ('allUsers', 'allAuthenticatedUsers')
    GROUP BY resource
)
SELECT
    d.asset_name AS resource,
    d.account_id,
    d.region,
    d.account_id AS project_id,
    d.dataset,
    CASE WHEN g.grants IS NOT NULL OR len(d.public_access) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'dataset ' || d.dataset || CASE
        WHEN g.grants IS NOT NULL THEN ' is public: ' || g.grants
        WHEN len(d.public_access) > 0 THEN ' is public through its access list: '
            || array_to_string(list_transform(d.public_access, lambda e: coalesce(e.specialGroup, e.iamMember) || ' is ' || e.role), '; ')
        ELSE ' grants nothing to allUsers or allAuthenticatedUsers'
    END AS reason
FROM dataset d
LEFT JOIN public_grant g ON g.resource = d.asset_name
