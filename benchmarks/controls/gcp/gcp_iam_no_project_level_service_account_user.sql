-- One result per project. Judges the bindings that apply to the project,
-- set on it or inherited from folders and the organization, that grant
-- roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator to
-- people: members of type user, group or domain. A condition (such as an
-- expiry) does not make the grant pass, because until it expires it covers
-- every service account of the project.
WITH user_grant AS (
    SELECT
        resource,
        member,
        role,
        CASE
            WHEN attached_to LIKE '%/folders/%' THEN 'resource-manager folders'
            WHEN attached_to LIKE '%/organizations/%' THEN 'organizations'
            ELSE 'projects'
        END AS scope,
        regexp_extract(attached_to, '[^/]+$') AS scope_id,
        condition_title IS NOT NULL OR condition_expression IS NOT NULL AS conditional,
        member || ' has ' || role || CASE WHEN inherited THEN ' (set on ' || regexp_extract(attached_to, '//cloudresourcemanager.googleapis.com/(.*)$', 1) || ')' ELSE '' END
            || coalesce(' under the condition "' || coalesce(condition_title, condition_expression) || '"', '') AS grant_text
    FROM gcp_iam_binding
    WHERE resource_type = 'cloudresourcemanager.googleapis.com/Project'
      AND member_type IN ('user', 'group', 'domain')
      AND role IN ('roles/iam.serviceAccountUser', 'roles/iam.serviceAccountTokenCreator')
),
by_project AS (
    SELECT
        resource,
        arg_min(member, grant_text) AS member,
        arg_min(role, grant_text) AS role,
        arg_min(scope, grant_text) AS scope,
        arg_min(scope_id, grant_text) AS scope_id,
        arg_min(conditional, grant_text) AS conditional,
        string_agg(grant_text, '; ' ORDER BY grant_text) AS grants
    FROM user_grant
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
    coalesce(g.conditional, false) AS conditional,
    CASE WHEN g.grants IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'project ' || p.account_id || CASE
        WHEN g.grants IS NOT NULL THEN ' lets people act as all its service accounts: ' || g.grants
        ELSE ' grants neither Service Account User nor Token Creator to people on the whole project'
    END AS reason
FROM gcp_resourcemanager_project p
LEFT JOIN by_project g ON g.resource = p.asset_name
