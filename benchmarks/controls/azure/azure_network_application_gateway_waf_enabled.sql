-- One result per application gateway.
WITH gateway AS (
    SELECT
        *,
        json_extract_string(properties, '$.firewallPolicy.id') AS firewall_policy_id,
        coalesce(TRY_CAST(json_extract_string(properties, '$.webApplicationFirewallConfiguration.enabled') AS BOOLEAN), false) AS legacy_waf_enabled
    FROM azure_resource
    WHERE type = 'microsoft.network/applicationgateways'
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN firewall_policy_id IS NOT NULL OR legacy_waf_enabled THEN 'pass' ELSE 'fail' END AS status,
    'application gateway ' || name || CASE
        WHEN firewall_policy_id IS NOT NULL THEN ' uses web application firewall policy ' || regexp_extract(firewall_policy_id, '[^/]+$')
        WHEN legacy_waf_enabled THEN ' has its built-in web application firewall configuration enabled'
        ELSE ' has no web application firewall'
    END AS reason
FROM gateway
