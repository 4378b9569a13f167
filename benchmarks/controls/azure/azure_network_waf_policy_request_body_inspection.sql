-- One result per application gateway web application firewall policy; a
-- missing requestBodyCheck is false.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.policySettings.requestBodyCheck') AS BOOLEAN), false) THEN 'pass' ELSE 'fail' END AS status,
    'web application firewall policy ' || name || CASE
        WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.policySettings.requestBodyCheck') AS BOOLEAN), false) THEN ' inspects request bodies'
        ELSE ' does not inspect request bodies'
    END AS reason
FROM azure_resource
WHERE type = 'microsoft.network/applicationgatewaywebapplicationfirewallpolicies'
