SELECT
    arn AS resource,
    instance_id,
    account_id,
    region,
    CASE WHEN tags['owner'] IS NOT NULL AND tags['data-classification'] IS NOT NULL
         THEN 'pass' ELSE 'fail' END AS status,
    'instance ' || instance_id || CASE
        WHEN tags['owner'] IS NULL AND tags['data-classification'] IS NULL THEN ' has neither an owner nor a data-classification tag'
        WHEN tags['owner'] IS NULL THEN ' has no owner tag'
        WHEN tags['data-classification'] IS NULL THEN ' has no data-classification tag'
        ELSE ' is owned by ' || tags['owner'] || ' and handles ' || tags['data-classification'] || ' data'
    END AS reason
FROM aws_ec2_instance
WHERE coalesce(state, '') <> 'terminated'
