-- One result per custom role definition. A role fails when its actions
-- contain * and one of its assignable scopes is the root (/), a management
-- group or a subscription. not_actions do not rescue it.
WITH role AS (
    SELECT
        *,
        list_filter(coalesce(assignable_scopes, []), x -> x = '/'
            OR regexp_matches(lower(x), '^/subscriptions/[^/]+/?$')
            OR lower(x) LIKE '/providers/microsoft.management/managementgroups/%') AS broad_scopes
    FROM azure_authorization_role_definition
    WHERE role_type = 'CustomRole'
)
SELECT
    id AS resource,
    account_id,
    region,
    role_name,
    name AS role_guid,
    coalesce(assignable_scopes[1], '/subscriptions/' || account_id) AS scope,
    CASE WHEN list_contains(coalesce(actions, []), '*') AND len(broad_scopes) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'custom role ' || coalesce(role_name, name) || CASE
        WHEN list_contains(coalesce(actions, []), '*') AND len(broad_scopes) > 0
            THEN ' allows every action (*) and is assignable at ' || array_to_string(broad_scopes, ', ')
        WHEN list_contains(coalesce(actions, []), '*') THEN ' allows every action (*) but only at narrower scopes'
        ELSE ' does not allow every action'
    END AS reason
FROM role
