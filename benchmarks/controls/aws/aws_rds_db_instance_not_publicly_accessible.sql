-- One row per DB instance. A publicly accessible instance fails whatever
-- its subnets route to, and a NULL publicly_accessible is unknown and is
-- skipped.
-- NOTE: route tables are not synced, so a publicly accessible instance
-- whose subnets have no route to an internet gateway fails too, although
-- the internet cannot reach it yet.
SELECT
    arn AS resource,
    db_instance_identifier,
    account_id,
    region,
    CASE
        WHEN publicly_accessible THEN 'fail'
        WHEN publicly_accessible = false THEN 'pass'
        ELSE 'skip'
    END AS status,
    CASE
        WHEN publicly_accessible
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' is publicly accessible'
                || coalesce(', so its endpoint ' || endpoint_address || ' resolves to a public IP address outside the VPC',
                    ', and its endpoint is not created yet')
        WHEN publicly_accessible = false
            THEN 'DB instance ' || coalesce(db_instance_identifier, arn) || ' is not publicly accessible'
        ELSE 'not evaluated: the public accessibility of DB instance ' || coalesce(db_instance_identifier, arn) || ' was not reported'
    END AS reason
FROM aws_rds_db_instance
