-- title: Internet-facing instances that still accept IMDSv1
-- description: Running instances with a public IP address whose metadata service answers without a session token, so a server-side request forgery can read the instance role's credentials.
SELECT account_id, region, instance_id, public_ip_address, metadata_options_http_tokens,
       iam_instance_profile_arn, tags['owner'] AS owner
FROM aws_ec2_instance
WHERE public_ip_address IS NOT NULL
  AND metadata_options_http_tokens = 'optional'
  AND coalesce(metadata_options_http_endpoint, 'enabled') = 'enabled'
  AND state = 'running'
ORDER BY account_id, region, instance_id
