-- Instances that are terminated no longer matter; a disabled metadata
-- endpoint passes because nothing can read it.
SELECT
    arn AS resource,
    instance_id,
    account_id,
    region,
    CASE
        WHEN metadata_options_http_endpoint = 'disabled' THEN 'pass'
        WHEN metadata_options_http_tokens = 'required' THEN 'pass'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN metadata_options_http_endpoint = 'disabled'
            THEN 'instance ' || instance_id || ' has its metadata endpoint disabled'
        WHEN metadata_options_http_tokens = 'required'
            THEN 'instance ' || instance_id || ' requires IMDSv2 tokens'
        ELSE 'instance ' || instance_id || ' accepts IMDSv1 requests (http_tokens is '
            || coalesce(metadata_options_http_tokens, 'not reported') || ')'
    END AS reason
FROM aws_ec2_instance
WHERE coalesce(state, '') NOT IN ('terminated', 'shutting-down')
