-- title: Buckets that the public can read or list
-- description: Buckets whose policy AWS evaluates as public, whose policy allows anyone without a condition, or whose ACL grants to AllUsers or AuthenticatedUsers, with the public access block settings that did not stop it.
WITH statements AS (
    SELECT arn, unnest(CASE json_type(policy -> 'Statement')
                           WHEN 'ARRAY' THEN (policy -> 'Statement')::JSON[]
                           ELSE [policy -> 'Statement'] END) AS s
    FROM aws_s3_bucket
    WHERE policy IS NOT NULL
),
open_policy AS (
    SELECT DISTINCT arn FROM statements
    WHERE (s ->> 'Effect') = 'Allow'
      AND ((s ->> 'Principal') = '*' OR json_contains(s -> 'Principal' -> 'AWS', '"*"'))
      AND (s -> 'Condition') IS NULL
)
SELECT b.account_id, b.region, b.name, b.policy_status_is_public,
       b.arn IN (SELECT arn FROM open_policy) AS policy_allows_anyone,
       b.acl_grants_public, b.public_access_block_configured, b.block_public_policy,
       b.restrict_public_buckets, b.tags['data-classification'] AS data_classification
FROM aws_s3_bucket b
WHERE b.policy_status_is_public OR b.acl_grants_public OR b.arn IN (SELECT arn FROM open_policy)
ORDER BY b.account_id, b.name
