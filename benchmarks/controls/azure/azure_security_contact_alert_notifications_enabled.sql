-- One result per subscription, which passes when one of its security
-- contacts has alerts as a notification source with a minimal severity of
-- Low, Medium or High. A contact with is_enabled false sends no email, so
-- it does not count. NULL, which older API versions return, counts as
-- enabled. Disabled and deleted subscriptions are left out, because nothing
-- runs in them.
WITH contact AS (
    SELECT
        c.account_id,
        bool_or(lower(c.alert_minimal_severity) IN ('low', 'medium', 'high')) AS ok
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
        WHEN coalesce(c.ok, false) THEN ' emails security alerts from the chosen minimal severity up'
        WHEN c.account_id IS NULL THEN ' has no enabled security contact'
        ELSE ' does not email security alerts: no contact has alerts as a notification source'
    END AS reason
FROM azure_subscription s
LEFT JOIN contact c ON c.account_id = s.account_id
WHERE lower(coalesce(s.state, 'Enabled')) NOT IN ('disabled', 'deleted')
