-- title: Accounts without a logging multi-region trail
-- description: Accounts where no CloudTrail trail both covers every region and is logging, so API activity in some regions is not recorded.
SELECT a.account_id,
       count(t.arn) AS trails,
       count(t.arn) FILTER (WHERE t.is_multi_region_trail) AS multi_region_trails
FROM (SELECT DISTINCT account_id FROM stance_coverage WHERE provider = 'aws' AND status = 'ok') a
LEFT JOIN aws_cloudtrail_trail t ON t.account_id = a.account_id
GROUP BY a.account_id
HAVING count(t.arn) FILTER (WHERE t.is_multi_region_trail AND t.is_logging) = 0
ORDER BY a.account_id
