-- One result per virtual network. enableDdosProtection is read from the
-- properties that Resource Graph returns; NULL means false.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.enableDdosProtection') AS BOOLEAN), false) THEN 'pass' ELSE 'fail' END AS status,
    'virtual network ' || name || CASE
        WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.enableDdosProtection') AS BOOLEAN), false)
            THEN ' is covered by DDoS protection plan ' || coalesce(json_extract_string(properties, '$.ddosProtectionPlan.id'), '?')
        ELSE ' has no DDoS Network Protection'
    END AS reason
FROM azure_resource
WHERE type = 'microsoft.network/virtualnetworks'
