-- title: Database instances that are public or unencrypted
-- description: RDS instances reachable from the internet or whose storage is not encrypted at rest.
SELECT account_id, region, db_instance_identifier, engine, publicly_accessible, storage_encrypted
FROM aws_rds_db_instance
WHERE publicly_accessible OR NOT storage_encrypted
ORDER BY account_id, region, db_instance_identifier
