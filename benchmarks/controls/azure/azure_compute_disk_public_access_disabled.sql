-- One result per managed disk. Export and import over the Internet are
-- possible when network_access_policy is AllowAll (the default, also for
-- NULL) and public network access is not Disabled.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN lower(public_network_access) = 'disabled' THEN 'pass'
        WHEN coalesce(network_access_policy, 'AllowAll') IN ('AllowPrivate', 'DenyAll') THEN 'pass'
        ELSE 'fail'
    END AS status,
    'disk ' || name || CASE
        WHEN lower(public_network_access) = 'disabled' THEN ' has public network access disabled'
        WHEN coalesce(network_access_policy, 'AllowAll') IN ('AllowPrivate', 'DenyAll') THEN ' allows export and import ' || CASE network_access_policy WHEN 'DenyAll' THEN 'from no network' ELSE 'only through a private endpoint' END
        ELSE ' can be exported and imported from any network (network access policy ' || coalesce(network_access_policy, 'not set, so AllowAll') || ')'
    END AS reason
FROM azure_compute_disk
