-- One result per subscription and region in use, which is a region where at
-- least one resource of the subscription lives. The resource of the result
-- is SUBSCRIPTION/REGION.
WITH in_use AS (
    SELECT account_id, region, count(*) AS resources
    FROM azure_resource
    WHERE region <> 'global' AND type <> 'microsoft.network/networkwatchers'
    GROUP BY account_id, region
),
watcher AS (
    SELECT account_id, region, min(name) AS name
    FROM azure_resource
    WHERE type = 'microsoft.network/networkwatchers'
      AND lower(coalesce(json_extract_string(properties, '$.provisioningState'), 'succeeded')) = 'succeeded'
    GROUP BY account_id, region
)
SELECT
    u.account_id || '/' || u.region AS resource,
    u.account_id,
    u.region,
    CASE WHEN w.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'region ' || u.region || ' of subscription ' || u.account_id || ' holds ' || u.resources || ' resources and ' || CASE
        WHEN w.account_id IS NOT NULL THEN 'has Network Watcher ' || w.name
        ELSE 'has no Network Watcher'
    END AS reason
FROM in_use u
LEFT JOIN watcher w ON w.account_id = u.account_id AND w.region = u.region
