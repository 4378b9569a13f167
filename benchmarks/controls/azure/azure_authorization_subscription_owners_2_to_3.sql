-- One result per subscription. It counts the assignments of the built-in
-- Owner role (8e3af657-a8ff-443c-a75c-2fe8c4bcb635) whose scope is exactly
-- the subscription. Assignments inherited from management groups and those
-- on resource groups are not counted.
WITH owner AS (
    SELECT
        a.account_id,
        count(*) AS owners,
        string_agg(coalesce(a.principal_type || ' ', '') || a.principal_id, ', ' ORDER BY a.principal_id) AS principals
    FROM azure_authorization_role_assignment a
    WHERE a.role_definition_guid = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
      AND rtrim(a.scope, '/') = '/subscriptions/' || lower(a.account_id)
    GROUP BY a.account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN coalesce(o.owners, 0) BETWEEN 2 AND 3 THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || ' has ' || coalesce(o.owners, 0)
        || ' Owner assignments at subscription scope' || coalesce(' (' || o.principals || ')', '') || CASE
        WHEN coalesce(o.owners, 0) BETWEEN 2 AND 3 THEN ''
        WHEN coalesce(o.owners, 0) < 2 THEN ', fewer than two'
        ELSE ', more than three'
    END AS reason
FROM azure_subscription s
LEFT JOIN owner o ON o.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
