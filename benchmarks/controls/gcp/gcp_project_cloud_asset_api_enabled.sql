-- Cloud Asset Inventory lists the enabled services of a project as
-- serviceusage.googleapis.com/Service assets, one per service.
-- NOTE: a sync that left out the serviceusage asset type makes every
-- project fail here.
WITH cloudasset AS (
    SELECT DISTINCT account_id
    FROM gcp_asset
    WHERE asset_type = 'serviceusage.googleapis.com/Service'
      AND asset_name LIKE '%/services/cloudasset.googleapis.com'
      AND coalesce((raw->>'$.state'), 'ENABLED') = 'ENABLED'
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    CASE WHEN c.account_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'project ' || p.account_id || CASE WHEN c.account_id IS NOT NULL THEN ' has the Cloud Asset API enabled' ELSE ' does not have the Cloud Asset API (cloudasset.googleapis.com) enabled' END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN cloudasset c ON c.account_id = p.account_id
