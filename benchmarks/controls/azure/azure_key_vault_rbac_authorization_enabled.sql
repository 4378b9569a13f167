-- One result per key vault. NULL means access policies.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(enable_rbac_authorization, false) THEN 'pass' ELSE 'fail' END AS status,
    'key vault ' || name || CASE
        WHEN coalesce(enable_rbac_authorization, false) THEN ' authorizes data access with Azure role-based access control'
        ELSE ' authorizes data access with ' || coalesce(access_policy_count, 0) || ' vault access policies'
    END AS reason
FROM azure_key_vault
