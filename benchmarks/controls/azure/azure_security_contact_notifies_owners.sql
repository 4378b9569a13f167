-- One result per subscription, which passes when one of its security
-- contacts notifies the holders of the Owner role
-- (notifications_by_role_state On and Owner in
-- notifications_by_role_roles). A contact with is_enabled false sends no
-- email, so it does not count. NULL, which older API versions return,
-- counts as enabled. Disabled and deleted subscriptions are left out,
-- because nothing runs in them.
WITH contact AS (
    SELECT
        c.account_id,
        bool_or(lower(c.notifications_by_role_state) = 'on' AND list_contains(list_transform(coalesce(c.notifications_by_role_roles, []), r -> lower(r)), 'owner')) AS ok
    FROM azure_security_contact c
    WHERE coalesce(c.is_enabled, true)
    GROUP BY c.account_id
)
SELECT
    s.id AS resource,
    s.account_id,
    s.region,
    CASE WHEN coalesce(c.ok, false) THEN 'pass' ELSE 'fail' END AS status,
    'subscription ' || coalesce(s.display_name, s.account_id) || CASE
        WHEN coalesce(c.ok, false) THEN ' emails security alerts to its owners'
        WHEN c.account_id IS NULL THEN ' has no enabled security contact'
        ELSE ' does not email security alerts to its owners'
    END AS reason
FROM azure_subscription s
LEFT JOIN contact c ON c.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
