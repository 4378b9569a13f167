-- One result per storage account. Only Disabled passes: Enabled, NULL (the
-- firewall decides, so the public endpoint exists) and SecuredByPerimeter
-- (the perimeter's own rules decide) fail.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN lower(public_network_access) = 'disabled' THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN lower(public_network_access) = 'disabled' THEN ' has public network access disabled'
        WHEN public_network_access IS NULL THEN ' does not set public network access, so its public endpoint is open to the networks its firewall allows'
        ELSE ' has public network access ' || public_network_access
    END AS reason
FROM azure_storage_account
