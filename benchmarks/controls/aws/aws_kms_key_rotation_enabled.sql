-- Only customer managed symmetric encryption keys with key material from
-- KMS can rotate on a schedule. AWS managed keys rotate by themselves, and
-- asymmetric, HMAC, imported and custom key store keys cannot. Disabled
-- keys and keys pending deletion encrypt nothing new and get no result.
-- A key whose metadata could not be read (DescribeKey denied) is kept and
-- reported as skip, because it may be a key that must rotate. Rotation of a
-- multi-Region replica is set on its primary key, so the remediation
-- targets the primary.
WITH candidate AS (
    SELECT
        *,
        coalesce(key_id, arn) AS key_name,
        raw -> 'KeyMetadata' -> 'MultiRegionConfiguration' ->> 'MultiRegionKeyType' = 'REPLICA' AS is_replica,
        key_manager IS NULL OR key_spec IS NULL OR key_state IS NULL OR origin IS NULL AS metadata_unknown
    FROM aws_kms_key
    WHERE coalesce(key_manager, 'CUSTOMER') = 'CUSTOMER'
      AND coalesce(key_spec, 'SYMMETRIC_DEFAULT') = 'SYMMETRIC_DEFAULT'
      AND coalesce(key_state, 'Enabled') = 'Enabled'
      AND coalesce(origin, 'AWS_KMS') = 'AWS_KMS'
)
SELECT
    coalesce(arn, key_id) AS resource,
    key_id,
    CASE WHEN is_replica THEN coalesce(raw -> 'KeyMetadata' -> 'MultiRegionConfiguration' -> 'PrimaryKey' ->> 'Arn', arn) ELSE arn END AS rotation_key_arn,
    CASE WHEN is_replica THEN coalesce(raw -> 'KeyMetadata' -> 'MultiRegionConfiguration' -> 'PrimaryKey' ->> 'Region', region) ELSE region END AS rotation_region,
    account_id,
    region,
    CASE
        WHEN metadata_unknown OR rotation_enabled IS NULL THEN 'skip'
        WHEN rotation_enabled THEN 'pass'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN metadata_unknown
            THEN 'key ' || key_name || ' was not evaluated: its metadata (DescribeKey) could not be read'
        WHEN rotation_enabled IS NULL
            THEN 'key ' || key_name || ' was not evaluated: its rotation status (GetKeyRotationStatus) could not be read'
        WHEN rotation_enabled
            THEN 'key ' || key_name || ' has automatic rotation turned on'
                || coalesce(', every ' || rotation_period_in_days::VARCHAR || ' days', '')
        WHEN is_replica
            THEN 'multi-Region replica key ' || key_name || ' has automatic rotation turned off on its primary key '
                || coalesce(raw -> 'KeyMetadata' -> 'MultiRegionConfiguration' -> 'PrimaryKey' ->> 'Arn', '(not reported)')
        ELSE 'customer managed key ' || key_name || ' has automatic rotation turned off'
    END AS reason
FROM candidate
