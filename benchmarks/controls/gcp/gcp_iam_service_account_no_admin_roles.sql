-- One result per project. Judges the bindings that apply to the project,
-- those set on it and those it inherits from folders and the organization,
-- whose member is a service account created in a project
-- (NAME@PROJECT.iam.gserviceaccount.com). Google's service agents
-- (service-*@gcp-sa-*.iam.gserviceaccount.com and other domains) and the
-- default compute and App Engine service accounts, which Google creates
-- with Editor, are left out, as the audit leaves them out.
-- Admin roles are roles/owner, roles/editor and every role whose last part
-- ends in admin, in any case (roles/storage.admin, roles/iam.securityAdmin).
WITH admin_grant AS (
    SELECT
        resource,
        member,
        role,
        attached_to,
        inherited,
        CASE
            WHEN attached_to LIKE '%/folders/%' THEN 'resource-manager folders'
            WHEN attached_to LIKE '%/organizations/%' THEN 'organizations'
            ELSE 'projects'
        END AS scope,
        regexp_extract(attached_to, '[^/]+$') AS scope_id,
        replace(member, 'serviceAccount:', '') || ' has ' || role || CASE WHEN inherited THEN ' (set on ' || regexp_extract(attached_to, '//cloudresourcemanager.googleapis.com/(.*)$', 1) || ')' ELSE '' END AS grant_text
    FROM gcp_iam_binding
    WHERE resource_type = 'cloudresourcemanager.googleapis.com/Project'
      AND member LIKE 'serviceAccount:%.iam.gserviceaccount.com'
      AND member NOT LIKE 'serviceAccount:%@gcp-sa-%'
      AND member NOT LIKE 'serviceAccount:service-%'
      AND (role IN ('roles/owner', 'roles/editor') OR lower(regexp_extract(role, '[^/.]+$')) LIKE '%admin')
),
by_project AS (
    SELECT
        resource,
        arg_min(member, grant_text) AS member,
        arg_min(role, grant_text) AS role,
        arg_min(scope, grant_text) AS scope,
        arg_min(scope_id, grant_text) AS scope_id,
        string_agg(grant_text, '; ' ORDER BY grant_text) AS grants
    FROM admin_grant
    GROUP BY resource
)
SELECT
    p.asset_name AS resource,
    p.account_id,
    p.region,
    p.account_id AS project_id,
    g.member,
    g.role,
    coalesce(g.scope, 'projects') AS scope,
    coalesce(g.scope_id, p.account_id) AS scope_id,
    CASE WHEN g.grants IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'project ' || p.account_id || CASE
        WHEN g.grants IS NOT NULL THEN ' grants admin roles to service accounts: ' || g.grants
        ELSE ' grants no owner, editor or admin role to a service account'
    END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN by_project g ON g.resource = p.asset_name
