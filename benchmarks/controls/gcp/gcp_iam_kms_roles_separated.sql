-- One result per project: fails when one member holds, on the project
-- (set there or inherited from a folder or the organization), both
-- Cloud KMS Admin (roles/cloudkms.admin) and an encrypt or decrypt role (roles/cloudkms.cryptoKeyEncrypterDecrypter, cryptoKeyEncrypter or cryptoKeyDecrypter).
WITH member_roles AS (
    SELECT
        resource,
        member,
        bool_or(role = 'roles/cloudkms.admin') AS has_admin,
        bool_or(role IN ('roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/cloudkms.cryptoKeyEncrypter', 'roles/cloudkms.cryptoKeyDecrypter')) AS has_use,
        string_agg(DISTINCT role, ', ' ORDER BY role) FILTER (WHERE (role = 'roles/cloudkms.admin') OR (role IN ('roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/cloudkms.cryptoKeyEncrypter', 'roles/cloudkms.cryptoKeyDecrypter'))) AS roles,
        arg_min(attached_to, inherited::INT) FILTER (WHERE role = 'roles/cloudkms.admin') AS attached_to
    FROM gcp_iam_binding
    WHERE resource_type = 'cloudresourcemanager.googleapis.com/Project'
    GROUP BY resource, member
),
conflict AS (
    SELECT
        resource,
        min(member) AS member,
        arg_min(attached_to, member) AS attached_to,
        string_agg(member || ' (' || roles || ')', '; ' ORDER BY member) AS members
    FROM member_roles
    WHERE has_admin AND has_use
    GROUP BY resource
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    c.member,
    CASE
        WHEN c.attached_to LIKE '%/folders/%' THEN 'resource-manager folders'
        WHEN c.attached_to LIKE '%/organizations/%' THEN 'organizations'
        ELSE 'projects'
    END AS scope,
    coalesce(regexp_extract(c.attached_to, '[^/]+$'), p.account_id) AS scope_id,
    CASE WHEN c.members IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'project ' || p.account_id || CASE
        WHEN c.members IS NOT NULL THEN ' has members with both duties: ' || c.members
        ELSE ' has no member with both Cloud KMS Admin (roles/cloudkms.admin) and an encrypt or decrypt role (roles/cloudkms.cryptoKeyEncrypterDecrypter, cryptoKeyEncrypter or cryptoKeyDecrypter)'
    END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN conflict c ON c.resource = p.asset_name
