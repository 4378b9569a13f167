-- One result per subnet of a virtual network, taken from the subnets list
-- in the virtual network's properties. Subnets on which Azure does not
-- support network security groups are left out.
WITH subnet AS (
    SELECT
        v.account_id,
        v.region,
        v.resource_group,
        v.name AS vnet_name,
        s.value AS subnet
    FROM azure_resource v, json_each(json_extract(v.properties, '$.subnets')) s
    WHERE v.type = 'microsoft.network/virtualnetworks'
)
SELECT
    lower(json_extract_string(subnet, '$.id')) AS resource,
    account_id,
    region,
    resource_group,
    vnet_name,
    json_extract_string(subnet, '$.name') AS name,
    CASE WHEN json_extract_string(subnet, '$.properties.networkSecurityGroup.id') IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'subnet ' || json_extract_string(subnet, '$.name') || ' of virtual network ' || vnet_name || CASE
        WHEN json_extract_string(subnet, '$.properties.networkSecurityGroup.id') IS NOT NULL
            THEN ' is filtered by network security group ' || regexp_extract(json_extract_string(subnet, '$.properties.networkSecurityGroup.id'), '[^/]+$')
        ELSE ' has no network security group'
    END AS reason
FROM subnet
WHERE json_extract_string(subnet, '$.name') NOT IN ('GatewaySubnet', 'AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'RouteServerSubnet')
