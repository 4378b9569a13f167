-- One result per subscription. Fails when the subscription's role
-- assignment list contains User Access Administrator
-- (18d7d88d-d35e-4fb5-a5c3-7773c20a72d9) at the root scope /, which the
-- list includes because it is inherited by every subscription.
WITH root AS (
    SELECT
        a.account_id,
        string_agg(coalesce(a.principal_type || ' ', '') || a.principal_id, ', ' ORDER BY a.principal_id) AS principals,
        string_agg(a.principal_id, ' ' ORDER BY a.principal_id) AS principal_ids
    FROM azure_authorization_role_assignment a
    WHERE a.role_definition_guid = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'
      AND a.scope = '/'
    GROUP BY a.account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    r.principal_ids,
    CASE WHEN r.account_id IS NOT NULL THEN 'fail' ELSE 'pass' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN r.account_id IS NOT NULL THEN ' inherits User Access Administrator at the root scope held by ' || r.principals
        ELSE ' sees no User Access Administrator assignment at the root scope'
    END AS reason
FROM azure_subscription s
LEFT JOIN root r ON r.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
