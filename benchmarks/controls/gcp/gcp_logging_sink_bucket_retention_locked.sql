-- One result per enabled sink whose destination is a Cloud Storage bucket
-- (storage.googleapis.com/BUCKET). The bucket is looked up by name among
-- the buckets of every synced project. A bucket outside them gives skip,
-- because its retention cannot be read.
WITH sink AS (
    SELECT
        asset_name,
        account_id,
        region,
        regexp_extract(asset_name, '[^/]+$') AS sink_name,
        regexp_extract((raw->>'$.destination'), '^storage\.googleapis\.com/([^/]+)', 1) AS bucket
    FROM gcp_logging_sink
    WHERE (raw->>'$.destination') LIKE 'storage.googleapis.com/%'
      AND coalesce((raw->>'$.disabled'), 'false') <> 'true'
)
SELECT
    s.asset_name AS resource,
    s.account_id,
    s.region,
    b.account_id AS project_id,
    s.bucket,
    CASE
        WHEN b.asset_name IS NULL THEN 'skip'
        WHEN (b.raw->>'$.retentionPolicy.isLocked') = 'true' THEN 'pass'
        ELSE 'fail'
    END AS status,
    'sink ' || s.sink_name || ' writes to bucket ' || s.bucket || CASE
        WHEN b.asset_name IS NULL THEN ', which no synced project holds'
        WHEN (b.raw->>'$.retentionPolicy.isLocked') = 'true' THEN ', whose retention policy of ' || (b.raw->>'$.retentionPolicy.retentionPeriod') || ' seconds is locked'
        WHEN (b.raw->>'$.retentionPolicy.retentionPeriod') IS NOT NULL THEN ', whose retention policy is not locked'
        ELSE ', which has no retention policy'
    END AS reason
FROM sink s
LEFT JOIN gcp_storage_bucket b ON regexp_extract(b.asset_name, '[^/]+$') = s.bucket
