-- One row per account. An account passes when a trail that covers it is
-- multi-region, is logging, and records all management events, both reads
-- and writes. Management event sources that a selector excludes, such as
-- KMS, do not make it fail. Every trail listed in an account covers it:
-- its own trails and the organization trails that reach it. The control
-- handles blind spots itself, so that a qualifying trail passes the account
-- although a region where no trail lives could not be read.
WITH coverage AS (
    -- Latest sync status of each partition of the trail table at the
    -- evaluated moment, which stance_now() returns.
    SELECT account_id, region, status
    FROM (
        SELECT p.account_id, p.region, p.status,
               row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) AS rn
        FROM stance_sync_partition p
        JOIN stance_sync_run r USING (run_id)
        WHERE p.table_name = 'aws_cloudtrail_trail'
          AND r.sync_time <= stance_now()
    )
    WHERE rn = 1
),
accounts AS (
    SELECT account_id FROM aws_ec2_region
    UNION
    SELECT account_id FROM coverage
    UNION
    SELECT account_id FROM aws_cloudtrail_trail
),
unread AS (
    -- A trail is stored by its home region, so a trail whose home region
    -- was not read is missing from the table. Such regions are enabled
    -- regions never synced and partitions that the last sync could not read.
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
),
fresh_trails AS (
    -- Rows of a partition that the last sync could not read are stale, and
    -- its region counts as unread instead.
    SELECT t.*
    FROM aws_cloudtrail_trail t
    LEFT JOIN coverage c ON c.account_id = t.account_id AND c.region = t.region
    WHERE coalesce(c.status, 'ok') = 'ok'
),
trails AS (
    -- A member account often cannot read the status and selectors of its
    -- organization's trail. They come from the owner account's row of the
    -- same trail when that account is synced too.
    SELECT
        t.account_id,
        coalesce(t.name, t.arn) AS name,
        coalesce(t.is_multi_region_trail, o.is_multi_region_trail) AS is_multi_region_trail,
        coalesce(t.is_logging, o.is_logging) AS is_logging,
        CASE WHEN t.event_selectors IS NULL AND t.advanced_event_selectors IS NULL
            THEN o.event_selectors ELSE t.event_selectors END AS event_selectors,
        CASE WHEN t.event_selectors IS NULL AND t.advanced_event_selectors IS NULL
            THEN o.advanced_event_selectors ELSE t.advanced_event_selectors END AS advanced_event_selectors
    FROM fresh_trails t
    LEFT JOIN fresh_trails o
        ON o.arn = t.arn
        AND o.account_id = split_part(t.arn, ':', 5)
        AND o.account_id <> t.account_id
),
selectors AS (
    SELECT
        *,
        CASE
            WHEN event_selectors IS NULL AND advanced_event_selectors IS NULL THEN NULL
            -- A basic selector records all management events with
            -- IncludeManagementEvents true and ReadWriteType All.
            WHEN len(list_filter(
                CASE WHEN json_type(event_selectors) = 'ARRAY' THEN event_selectors::JSON[] ELSE []::JSON[] END,
                s -> lower(s ->> 'IncludeManagementEvents') = 'true' AND lower(s ->> 'ReadWriteType') = 'all'
            )) > 0 THEN true
            -- An advanced selector records them with eventCategory Equals
            -- Management and no readOnly field.
            WHEN len(list_filter(
                CASE WHEN json_type(advanced_event_selectors) = 'ARRAY' THEN advanced_event_selectors::JSON[] ELSE []::JSON[] END,
                s -> len(list_filter(
                        CASE WHEN json_type(s -> 'FieldSelectors') = 'ARRAY' THEN (s -> 'FieldSelectors')::JSON[] ELSE []::JSON[] END,
                        f -> lower(f ->> 'Field') = 'eventcategory'
                            AND json_type(f -> 'Equals') = 'ARRAY'
                            AND list_contains((f -> 'Equals')::VARCHAR[], 'Management')
                    )) > 0
                    AND len(list_filter(
                        CASE WHEN json_type(s -> 'FieldSelectors') = 'ARRAY' THEN (s -> 'FieldSelectors')::JSON[] ELSE []::JSON[] END,
                        f -> lower(f ->> 'Field') = 'readonly'
                    )) = 0
            )) > 0 THEN true
            ELSE false
        END AS records_all_management_events
    FROM trails
),
judged AS (
    SELECT
        *,
        list_filter([
            CASE WHEN is_multi_region_trail = false THEN 'single-region' END,
            CASE WHEN is_logging = false THEN 'not logging' END,
            CASE WHEN records_all_management_events = false THEN 'not recording all management events' END
        ], problem -> problem IS NOT NULL) AS problems,
        is_multi_region_trail AND is_logging AND records_all_management_events AS qualifies
    FROM selectors
),
per_account AS (
    SELECT
        account_id,
        string_agg(name, ', ' ORDER BY name) FILTER (WHERE qualifies) AS qualifying,
        -- Trails that no known value rules out, but whose status or
        -- selectors are unknown.
        string_agg(name, ', ' ORDER BY name) FILTER (WHERE qualifies IS NULL AND len(problems) = 0) AS unknown,
        string_agg(name || ' (' || array_to_string(problems, ', ') || ')', ', ' ORDER BY name) FILTER (
            WHERE len(problems) > 0
        ) AS ruled_out
    FROM judged
    GROUP BY account_id
)
SELECT
    a.account_id AS resource,
    a.account_id,
    'global' AS region,
    CASE
        WHEN p.qualifying IS NOT NULL THEN 'pass'
        WHEN p.unknown IS NOT NULL OR u.regions IS NOT NULL THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN p.qualifying IS NOT NULL
            THEN 'account ' || a.account_id || ' is covered by the multi-region trail ' || p.qualifying
                || ', which is logging all management events'
        WHEN p.unknown IS NOT NULL
            THEN 'not evaluated: the logging status or event selectors of trail ' || p.unknown
                || ' could not be read in account ' || a.account_id
        WHEN u.regions IS NOT NULL
            THEN 'not evaluated: no trail read in account ' || a.account_id
                || ' is a logging multi-region trail of all management events'
                || coalesce(' (read: ' || p.ruled_out || ')', '')
                || ', and these regions, where such a trail could have its home, were not read: ' || u.regions
        WHEN p.ruled_out IS NOT NULL
            THEN 'account ' || a.account_id || ' has no multi-region trail that is logging all management events: '
                || p.ruled_out
        ELSE 'account ' || a.account_id || ' has no CloudTrail trail'
    END AS reason
FROM accounts a
LEFT JOIN per_account p ON p.account_id = a.account_id
LEFT JOIN unread u ON u.account_id = a.account_id
