-- One result per application gateway web application firewall policy.
WITH policy AS (
    SELECT
        *,
        list_contains(coalesce(json_extract_string(properties, '$.managedRules.managedRuleSets[*].ruleSetType'), []), 'Microsoft_BotManagerRuleSet') AS bot_rules
    FROM azure_resource
    WHERE type = 'microsoft.network/applicationgatewaywebapplicationfirewallpolicies'
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN bot_rules THEN 'pass' ELSE 'fail' END AS status,
    'web application firewall policy ' || name || CASE
        WHEN bot_rules THEN ' blocks known bad bots with Microsoft_BotManagerRuleSet'
        ELSE ' has no bot protection rule set'
    END AS reason
FROM policy
