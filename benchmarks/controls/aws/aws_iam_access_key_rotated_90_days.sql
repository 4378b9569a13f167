-- One row per access key. Ages count from the evaluation moment, which is
-- stance_at when a run looks at the past and now otherwise.
WITH clock AS (
    SELECT coalesce(getvariable('stance_at')::TIMESTAMPTZ, now()) AS evaluated_at
)
SELECT
    k.access_key_id AS resource,
    k.user_name,
    k.account_id,
    k.region,
    CASE
        WHEN k.status IS NULL THEN 'skip'
        WHEN lower(k.status) <> 'active' THEN 'pass'
        WHEN k.create_date IS NULL THEN 'skip'
        WHEN k.create_date <= clock.evaluated_at - INTERVAL 90 DAY THEN 'fail'
        ELSE 'pass'
    END AS status,
    'access key ' || k.access_key_id || ' of IAM user ' || coalesce(k.user_name, k.user_arn, 'unknown') || CASE
        WHEN k.status IS NULL THEN ' has an unknown status'
        WHEN lower(k.status) <> 'active' THEN ' is ' || k.status
        WHEN k.create_date IS NULL THEN ' is active with an unknown creation date'
        ELSE ' is active and was created ' || strftime(k.create_date AT TIME ZONE 'UTC', '%Y-%m-%d') || ', '
            -- Days count in UTC, like the date above. Plain timestamps
            -- keep date_diff off the ICU calendar, which is several times
            -- slower on TIMESTAMPTZ.
            || date_diff('day', make_timestamp(epoch_us(k.create_date)), make_timestamp(epoch_us(clock.evaluated_at))) || ' days ago'
    END AS reason
FROM aws_iam_access_key AS k, clock
