-- A bucket is public when a binding of its IAM policy names allUsers or
-- allAuthenticatedUsers, with or without a condition: a condition limits
-- which objects or when, never who. Under fine-grained access a bucket ACL
-- entry for either group makes it public too. Public access prevention
-- set to enforced blocks both, so such a bucket passes even if a stale
-- grant is still listed. A bucket known only from its IAM policy (an
-- export of IAM_POLICY content alone) is judged on its bindings.
WITH bucket AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS bucket,
        (raw->>'$.iamConfiguration.publicAccessPrevention') = 'enforced' AS prevention_enforced,
        list_filter(coalesce(from_json((raw->'$.acl'), '[{"entity": "VARCHAR", "role": "VARCHAR"}]'), []),
                    lambda e: e.entity IN ('allUsers', 'allAuthenticatedUsers')) AS public_acl
    FROM gcp_storage_bucket
    UNION ALL BY NAME
    SELECT DISTINCT
        resource AS asset_name,
        account_id,
        region,
        regexp_extract(resource, '[^/]+$') AS bucket,
        false AS prevention_enforced,
        [] AS public_acl
    FROM gcp_iam_binding
    WHERE resource_type = 'storage.googleapis.com/Bucket'
      AND resource NOT IN (SELECT asset_name FROM gcp_storage_bucket)
),
grant_row AS (
    SELECT
        resource,
        member,
        role,
        condition_title,
        member || ' has ' || role || coalesce(' under the condition "' || coalesce(condition_title, condition_expression) || '"', '') AS grant_text
    FROM gcp_iam_binding
    WHERE member IN ('allUsers', 'allAuthenticatedUsers')
),
public_grant AS (
    SELECT
        resource,
        min(member) AS member,
        arg_min(role, member) AS role,
        arg_min(condition_title, member) AS condition_title,
        string_agg(grant_text, '; ' ORDER BY grant_text) AS grants
    FROM grant_row
    GROUP BY resource
)
SELECT
    b.asset_name AS resource,
    b.account_id,
    b.region,
    b.account_id AS project_id,
    b.bucket,
    coalesce(g.member, 'allUsers') AS member,
    coalesce(g.role, 'roles/storage.objectViewer') AS role,
    g.condition_title,
    CASE
        WHEN coalesce(b.prevention_enforced, false) THEN 'pass'
        WHEN g.grants IS NOT NULL OR len(b.public_acl) > 0 THEN 'fail'
        ELSE 'pass'
    END AS status,
    'bucket ' || b.bucket || CASE
        WHEN coalesce(b.prevention_enforced, false) THEN ' enforces public access prevention'
        WHEN g.grants IS NOT NULL THEN ' is public: ' || g.grants
        WHEN len(b.public_acl) > 0 THEN ' is public through its ACL: ' || array_to_string(list_transform(b.public_acl, lambda e: e.entity || ' is ' || e.role), '; ')
        ELSE ' grants nothing to allUsers or allAuthenticatedUsers'
    END AS reason
FROM bucket b
LEFT JOIN public_grant g ON g.resource = b.asset_name
