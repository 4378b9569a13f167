-- One result per key vault. Only Disabled passes; NULL means Enabled.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN lower(public_network_access) = 'disabled' THEN 'pass' ELSE 'fail' END AS status,
    'key vault ' || name || CASE
        WHEN lower(public_network_access) = 'disabled' THEN ' has public network access disabled'
        WHEN lower(network_acls_default_action) = 'deny'
            THEN ' keeps its public endpoint open to ' || len(coalesce(network_acls_ip_rules, [])) || ' IP rules and '
                || len(coalesce(network_acls_virtual_network_rules, [])) || ' virtual network rules'
        ELSE ' accepts connections from any network'
    END AS reason
FROM azure_key_vault
