-- A VPC is judged in the account that owns it. A VPC shared with this
-- account appears here too, but only its owner can create flow logs for
-- it. Only flow logs of the VPC itself count, not those of its subnets or
-- network interfaces, and they must capture rejected traffic.
WITH vpc AS (
    SELECT *
    FROM aws_vpc
    WHERE coalesce(owner_id, account_id) = account_id
),
flow AS (
    SELECT
        v.account_id,
        v.region,
        v.vpc_id,
        f.flow_log_id,
        f.traffic_type,
        f.flow_log_status,
        f.deliver_logs_status,
        f.flow_log_status = 'ACTIVE' AND f.traffic_type IN ('REJECT', 'ALL') AS qualifies,
        f.flow_log_status IS NULL OR f.traffic_type IS NULL AS unknown
    FROM vpc v
    JOIN aws_vpc_flow_log f
      ON f.account_id = v.account_id AND f.region = v.region AND f.resource_id = v.vpc_id
),
summary AS (
    SELECT
        account_id,
        region,
        vpc_id,
        -- The best flow log: one that qualifies and delivers, then one
        -- that qualifies, then one whose settings are unknown.
        arg_min(
            coalesce(flow_log_id, 'without ID') || ' (' || coalesce(traffic_type, 'traffic type not reported') || ', '
                || coalesce(flow_log_status, 'status not reported') || ')',
            CASE
                WHEN qualifies AND coalesce(deliver_logs_status, '') <> 'FAILED' THEN 0
                WHEN qualifies THEN 1
                WHEN unknown THEN 2
                ELSE 3
            END
        ) AS best_log,
        bool_or(qualifies) AS any_qualifies,
        bool_or(qualifies AND coalesce(deliver_logs_status, '') <> 'FAILED') AS any_delivering,
        bool_or(unknown) AS any_unknown,
        string_agg(coalesce(flow_log_id, 'without ID') || ' (' || coalesce(traffic_type, 'traffic type not reported') || ')', ', ' ORDER BY flow_log_id) AS all_logs
    FROM flow
    GROUP BY account_id, region, vpc_id
)
SELECT
    coalesce(v.arn, v.vpc_id) AS resource,
    v.vpc_id,
    split_part(v.arn, ':', 2) AS partition,
    v.account_id,
    v.region,
    CASE
        WHEN s.any_qualifies THEN 'pass'
        WHEN s.any_unknown THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN s.any_delivering
            THEN 'VPC ' || v.vpc_id || ' has flow log ' || s.best_log
        WHEN s.any_qualifies
            THEN 'VPC ' || v.vpc_id || ' has flow log ' || s.best_log || ', but its log delivery FAILED'
        WHEN s.any_unknown
            THEN 'VPC ' || v.vpc_id || ' was not evaluated: its flow log ' || s.best_log || ' does not report its traffic type or status'
        WHEN s.vpc_id IS NOT NULL
            THEN 'VPC ' || v.vpc_id || ' has no active flow log that captures rejected traffic (flow logs: ' || s.all_logs || ')'
        ELSE 'VPC ' || v.vpc_id || ' has no flow log attached to the VPC itself'
    END AS reason
FROM vpc v
LEFT JOIN summary s ON s.account_id = v.account_id AND s.region = v.region AND s.vpc_id = v.vpc_id
