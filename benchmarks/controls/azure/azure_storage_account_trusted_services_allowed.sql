-- One result per storage account whose firewall can block traffic: public
-- network access is not Disabled and the default action is Deny. Other
-- accounts pass, because the exception changes nothing for them.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN lower(public_network_access) = 'disabled' OR lower(coalesce(network_acls_default_action, 'allow')) <> 'deny' THEN 'pass'
        WHEN list_contains(list_transform(coalesce(network_acls_bypass, []), b -> lower(trim(b))), 'azureservices') THEN 'pass'
        ELSE 'fail'
    END AS status,
    'storage account ' || name || CASE
        WHEN lower(public_network_access) = 'disabled' THEN ' has public network access disabled, so the firewall exceptions do not apply'
        WHEN lower(coalesce(network_acls_default_action, 'allow')) <> 'deny' THEN ' allows all networks, so trusted services are not blocked'
        WHEN list_contains(list_transform(coalesce(network_acls_bypass, []), b -> lower(trim(b))), 'azureservices')
            THEN ' lets trusted Azure services through its firewall'
        ELSE ' blocks trusted Azure services: its firewall bypass is ' || coalesce(nullif(array_to_string(network_acls_bypass, ', '), ''), 'None')
    END AS reason
FROM azure_storage_account
