-- title: Resources without an owner tag
-- description: Instances, buckets, databases, volumes and functions that carry no owner tag, so findings on them cannot be routed to a team.
SELECT 'aws_ec2_instance' AS table_name, account_id, region, arn FROM aws_ec2_instance WHERE tags['owner'] IS NULL
UNION ALL
SELECT 'aws_s3_bucket', account_id, region, arn FROM aws_s3_bucket WHERE tags['owner'] IS NULL
UNION ALL
SELECT 'aws_rds_db_instance', account_id, region, arn FROM aws_rds_db_instance WHERE tags['owner'] IS NULL
UNION ALL
SELECT 'aws_ebs_volume', account_id, region, arn FROM aws_ebs_volume WHERE tags['owner'] IS NULL
UNION ALL
SELECT 'aws_lambda_function', account_id, region, arn FROM aws_lambda_function WHERE tags['owner'] IS NULL
ORDER BY 1, 2, 3, 4
