-- Expiry is compared with the evaluation moment, which is stance_at when a
-- run looks at the past and now otherwise. Times are printed in UTC
-- whatever the session's time zone is.
WITH clock AS (
    SELECT coalesce(getvariable('stance_at')::TIMESTAMPTZ, now()) AS evaluated_at
)
SELECT
    c.arn AS resource,
    c.server_certificate_name,
    c.account_id,
    c.region,
    CASE
        WHEN c.expiration IS NULL THEN 'skip'
        WHEN c.expiration <= clock.evaluated_at THEN 'fail'
        ELSE 'pass'
    END AS status,
    'server certificate ' || coalesce(c.server_certificate_name, c.arn) || CASE
        WHEN c.expiration IS NULL THEN ' has no expiration date in the sync, so it was not evaluated'
        WHEN c.expiration <= clock.evaluated_at
            THEN ' expired on ' || strftime(c.expiration AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC')
        ELSE ' is valid until ' || strftime(c.expiration AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC')
    END AS reason
FROM aws_iam_server_certificate AS c, clock
