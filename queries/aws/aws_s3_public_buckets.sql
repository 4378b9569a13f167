-- title: Buckets that the public can read or list
-- description: Buckets whose policy AWS evaluates as public or whose ACL grants to AllUsers or AuthenticatedUsers, with the public access block settings that did not stop it.
SELECT account_id, region, name, policy_status_is_public, acl_grants_public,
       public_access_block_configured, block_public_policy, restrict_public_buckets,
       tags['data-classification'] AS data_classification
FROM aws_s3_bucket
WHERE policy_status_is_public OR acl_grants_public
ORDER BY account_id, name
