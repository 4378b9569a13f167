-- One result per subscription: the Defender for Cloud plan
-- SqlServerVirtualMachines is on when its pricing tier is Standard. A
-- subscription without a SqlServerVirtualMachines pricing row fails, since
-- the plan then cannot be on. Disabled and deleted subscriptions are left
-- out, because nothing runs in them.
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN lower(p.pricing_tier) = 'standard' THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN lower(p.pricing_tier) = 'standard' THEN ' has Defender for SQL servers on machines on' || coalesce(' (sub-plan ' || p.sub_plan || ')', '')
        WHEN p.id IS NULL THEN ' has no SqlServerVirtualMachines pricing, so Defender for SQL servers on machines is off'
        ELSE ' has Defender for SQL servers on machines off (pricing tier ' || coalesce(p.pricing_tier, 'not reported') || ')'
    END AS reason
FROM azure_subscription s
LEFT JOIN azure_security_pricing p ON p.account_id = s.account_id AND lower(p.name) = lower('SqlServerVirtualMachines')
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
