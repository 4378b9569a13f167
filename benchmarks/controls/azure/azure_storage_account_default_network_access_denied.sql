-- One result per storage account. The firewall decides only while public
-- network access is not Disabled, so a Disabled account passes whatever its
-- default action. A NULL default action is Allow, the service default.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN lower(public_network_access) = 'disabled' THEN 'pass'
        WHEN lower(network_acls_default_action) = 'deny' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'storage account ' || name || CASE
        WHEN lower(public_network_access) = 'disabled' THEN ' has public network access disabled, so only private endpoints reach it'
        WHEN lower(network_acls_default_action) = 'deny'
            THEN ' denies by default and allows ' || len(coalesce(network_acls_ip_rules, [])) || ' IP rules and '
                || len(coalesce(network_acls_virtual_network_rules, [])) || ' virtual network rules'
        ELSE ' accepts connections from any network (default action ' || coalesce(network_acls_default_action, 'not set, so Allow') || ')'
    END AS reason
FROM azure_storage_account
