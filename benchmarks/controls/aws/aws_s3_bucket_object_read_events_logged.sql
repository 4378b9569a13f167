-- A bucket passes when a logging multi-region trail, listed by the sync of
-- the bucket's account, records read data events on every object of the
-- bucket. A member account lists its organization's trail too, and where
-- that copy lacks the status or selectors, the owner account's copy
-- supplies them. The result is skip, not fail, when a trail of the account
-- still has unknown settings, or when the account's trails were not read
-- in some enabled region.
--
-- Basic selectors qualify with ReadWriteType All or ReadOnly and an
-- AWS::S3::Object data resource value that is a prefix of
-- arn:<partition>:s3:::<name>/, since CloudTrail matches object ARNs by
-- prefix. That is all buckets (arn:<partition>:s3 or arn:<partition>:s3:::)
-- or the whole bucket (arn:<partition>:s3:::<name>/). A value that goes on
-- into the bucket covers only some of its objects and does not count.
--
-- An advanced selector qualifies when eventCategory Equals Data,
-- resources.type Equals AWS::S3::Object, and readOnly is absent or selects
-- true. Its resources.ARN conditions must keep every object of
-- the bucket. A StartsWith list must contain a prefix of
-- arn:<partition>:s3:::<name>/, and no NotStartsWith or NotEquals value may
-- fall inside the bucket. Equals, EndsWith and NotEndsWith on resources.ARN
-- select single objects or suffixes, so a selector that uses them does not
-- count. Field and value names are compared case-insensitively.
-- NOTE: any other field (eventName, eventSource, userIdentity.arn and so
-- on) narrows the recorded events, and a selector that uses one does not
-- count, even when its condition happens to keep every S3 object event.
WITH bucket AS (
    SELECT
        arn,
        name,
        account_id,
        region,
        arn || '/' AS object_prefix
    FROM aws_s3_bucket
),
trail AS (
    SELECT
        t.account_id,
        t.arn,
        coalesce(t.name, t.arn) AS name,
        coalesce(t.is_multi_region_trail, o.is_multi_region_trail) AS is_multi_region_trail,
        coalesce(t.is_logging, o.is_logging) AS is_logging,
        CASE WHEN t.event_selectors IS NULL AND t.advanced_event_selectors IS NULL
            THEN o.event_selectors ELSE t.event_selectors END AS event_selectors,
        CASE WHEN t.event_selectors IS NULL AND t.advanced_event_selectors IS NULL
            THEN o.advanced_event_selectors ELSE t.advanced_event_selectors END AS advanced_event_selectors
    FROM aws_cloudtrail_trail t
    LEFT JOIN aws_cloudtrail_trail o
        ON o.arn = t.arn AND o.account_id = split_part(t.arn, ':', 5) AND o.account_id <> t.account_id
),
basic_value AS (
    SELECT
        t.account_id,
        t.arn AS trail_arn,
        lower(s.value ->> 'ReadWriteType') AS read_write_type,
        v.value ->> '$' AS resource_value
    FROM trail t,
        json_each(t.event_selectors) s,
        json_each(s.value -> 'DataResources') d,
        json_each(d.value -> 'Values') v
    WHERE lower(d.value ->> 'Type') = 'aws::s3::object'
),
basic_cover AS (
    SELECT DISTINCT b.arn AS bucket_arn, b.account_id, x.trail_arn
    FROM bucket b
    JOIN basic_value x ON x.account_id = b.account_id
    WHERE x.read_write_type IN ('all', 'readonly')
      AND starts_with(b.object_prefix, x.resource_value)
),
advanced_condition AS (
    SELECT
        t.account_id,
        t.arn AS trail_arn,
        s.key AS selector_index,
        lower(f.value ->> 'Field') AS field,
        list_transform((f.value -> 'Equals')::VARCHAR[], lambda x: lower(x)) AS equals,
        list_transform((f.value -> 'NotEquals')::VARCHAR[], lambda x: lower(x)) AS not_equals,
        (f.value -> 'StartsWith')::VARCHAR[] AS starts_with,
        (f.value -> 'NotStartsWith')::VARCHAR[] AS not_starts_with,
        coalesce(len((f.value -> 'EndsWith')::VARCHAR[]), 0)
            + coalesce(len((f.value -> 'NotEndsWith')::VARCHAR[]), 0) AS suffix_conditions
    FROM trail t,
        json_each(t.advanced_event_selectors) s,
        json_each(s.value -> 'FieldSelectors') f
),
advanced_cover AS (
    SELECT DISTINCT b.arn AS bucket_arn, b.account_id, c.trail_arn
    FROM bucket b
    JOIN advanced_condition c ON c.account_id = b.account_id
    GROUP BY b.arn, b.account_id, c.trail_arn, c.selector_index
    HAVING bool_or(c.field = 'eventcategory' AND list_contains(c.equals, 'data'))
       AND bool_or(c.field = 'resources.type' AND list_contains(c.equals, 'aws::s3::object'))
       AND bool_and(CASE c.field
           WHEN 'eventcategory' THEN true
           WHEN 'resources.type' THEN true
           WHEN 'readonly' THEN
               (c.equals IS NULL OR list_contains(c.equals, 'true'))
               AND NOT coalesce(list_contains(c.not_equals, 'true'), false)
           WHEN 'resources.arn' THEN
               (c.starts_with IS NULL OR len(list_filter(c.starts_with, lambda p: starts_with(b.object_prefix, p))) > 0)
               AND coalesce(len(c.equals), 0) = 0
               AND c.suffix_conditions = 0
               AND coalesce(len(list_filter(c.not_starts_with,
                   lambda p: starts_with(b.object_prefix, p) OR starts_with(p, b.object_prefix))), 0) = 0
               AND coalesce(len(list_filter(c.not_equals, lambda p: starts_with(p, lower(b.object_prefix)))), 0) = 0
           ELSE false
       END)
),
cover AS (
    SELECT c.bucket_arn, c.account_id, t.name, t.is_multi_region_trail, t.is_logging
    FROM (SELECT * FROM basic_cover UNION SELECT * FROM advanced_cover) c
    JOIN trail t ON t.account_id = c.account_id AND t.arn = c.trail_arn
),
bucket_cover AS (
    SELECT
        bucket_arn,
        min(name) FILTER (WHERE is_multi_region_trail AND is_logging) AS logging_trail,
        min(name) FILTER (WHERE is_multi_region_trail AND NOT is_logging) AS stopped_trail,
        min(name) FILTER (WHERE NOT is_multi_region_trail) AS single_region_trail
    FROM cover
    GROUP BY bucket_arn
),
-- Trails of the account whose region, status or selectors are unknown.
unknown_trail AS (
    SELECT account_id, string_agg(name, ', ' ORDER BY name) AS names
    FROM trail
    WHERE is_multi_region_trail IS NULL
       OR (is_multi_region_trail AND (is_logging IS NULL
           OR (event_selectors IS NULL AND advanced_event_selectors IS NULL)))
    GROUP BY account_id
),
-- Latest sync status of each partition of aws_cloudtrail_trail at the
-- evaluation time, read as the engine reads blind spots.
coverage AS (
    SELECT p.account_id, p.region, p.status
    FROM stance_sync_partition p
    JOIN stance_sync_run r USING (run_id)
    WHERE p.table_name = 'aws_cloudtrail_trail'
      AND (getvariable('stance_at') IS NULL OR r.sync_time <= getvariable('stance_at')::TIMESTAMPTZ)
    QUALIFY row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) = 1
),
-- Regions where a trail of the account could have its home but was not
-- read. These are enabled regions never synced for aws_cloudtrail_trail,
-- and partitions that the last sync could not read. A trail is stored only
-- by its home region, so such a trail is missing from the table.
unread_region AS (
    SELECT account_id, string_agg(region, ', ' ORDER BY region) AS regions
    FROM (
        SELECT e.account_id, e.region_name AS region
        FROM aws_ec2_region e
        LEFT JOIN coverage c ON c.account_id = e.account_id AND c.region = e.region_name
        WHERE coalesce(e.enabled, true) AND c.status IS DISTINCT FROM 'ok'
        UNION
        SELECT account_id, region FROM coverage WHERE status <> 'ok'
    )
    GROUP BY account_id
)
SELECT
    b.arn AS resource,
    b.name,
    b.account_id,
    b.region,
    CASE
        WHEN c.logging_trail IS NOT NULL THEN 'pass'
        WHEN u.names IS NOT NULL OR r.regions IS NOT NULL THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN c.logging_trail IS NOT NULL
            THEN 'trail ' || c.logging_trail || ' records read data events on every object of bucket ' || b.name
        WHEN u.names IS NOT NULL
            THEN 'bucket ' || b.name || ' was not evaluated: trail ' || u.names
                || ' does not report whether it is multi-region, whether it is logging, or its event selectors'
        WHEN r.regions IS NOT NULL
            THEN 'bucket ' || b.name || ' was not evaluated: no trail read in account ' || b.account_id
                || ' records read data events on it, and the trails of these regions were not read: ' || r.regions
        WHEN c.stopped_trail IS NOT NULL
            THEN 'trail ' || c.stopped_trail || ' would record read data events on bucket ' || b.name
                || ', but it is not logging'
        WHEN c.single_region_trail IS NOT NULL
            THEN 'only the single-region trail ' || c.single_region_trail || ' records read data events on bucket '
                || b.name || ', and a multi-region trail is required'
        ELSE 'no multi-region trail of account ' || b.account_id || ' records read data events on every object of bucket '
            || b.name
    END AS reason
FROM bucket b
LEFT JOIN bucket_cover c ON c.bucket_arn = b.arn
LEFT JOIN unknown_trail u ON u.account_id = b.account_id
LEFT JOIN unread_region r ON r.account_id = b.account_id
