-- title: Current blind spots
-- description: Partitions (account, region, table) that the latest sync could not read, with the reason; their rows are the last known ones.
SELECT account_id, region, table_name, status, error_code, error
FROM stance_coverage
WHERE provider = 'aws' AND status <> 'ok'
ORDER BY account_id, region, table_name
