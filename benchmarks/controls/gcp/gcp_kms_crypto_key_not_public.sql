-- A binding with a condition still fails: the condition limits when the
-- grant applies, not who receives it. A key known only from its IAM policy
-- is judged too.
WITH crypto_key AS (
    SELECT asset_name, account_id, region FROM gcp_kms_crypto_key
    UNION
    SELECT resource, account_id, region FROM gcp_iam_binding WHERE resource_type = 'cloudkms.googleapis.com/CryptoKey'
),
grant_row AS (
    SELECT
        resource,
        member,
        role,
        member || ' has ' || role || coalesce(' under the condition "' || coalesce(condition_title, condition_expression) || '"', '') AS grant_text
    FROM gcp_iam_binding
    WHERE member IN ('allUsers', 'allAuthenticatedUsers')
),
public_grant AS (
    SELECT resource, min(member) AS member, arg_min(role, member) AS role, string_agg(grant_text, '; ' ORDER BY grant_text) AS grants
    FROM grant_row
    GROUP BY resource
)
SELECT
    k.asset_name AS resource,
    k.account_id,
    k.region,
    k.account_id AS project_id,
    regexp_extract(k.asset_name, 'cryptoKeys/([^/]+)', 1) AS key_name,
    regexp_extract(k.asset_name, 'keyRings/([^/]+)', 1) AS key_ring,
    regexp_extract(k.asset_name, 'locations/([^/]+)', 1) AS location,
    coalesce(g.member, 'allUsers') AS member,
    g.role,
    CASE WHEN g.grants IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'key ' || regexp_extract(k.asset_name, 'cryptoKeys/([^/]+)', 1)
        || CASE WHEN g.grants IS NOT NULL THEN ' is public: ' || g.grants ELSE ' grants nothing to allUsers or allAuthenticatedUsers' END AS reason
FROM crypto_key k
LEFT JOIN public_grant g ON g.resource = k.asset_name
