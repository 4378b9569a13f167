-- One result per storage account. The key policy is not a modelled column,
-- so it is read from raw (properties.keyPolicy.keyExpirationPeriodInDays).
WITH account AS (
    SELECT
        *,
        TRY_CAST(json_extract_string(raw, '$.properties.keyPolicy.keyExpirationPeriodInDays') AS INTEGER) AS key_expiration_days
    FROM azure_storage_account
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN key_expiration_days > 0 THEN 'pass' ELSE 'fail' END AS status,
    'storage account ' || name || CASE
        WHEN key_expiration_days > 0 THEN ' reminds owners to rotate keys older than ' || key_expiration_days || ' days'
        ELSE ' has no key expiration policy, so nobody is reminded to rotate its access keys'
    END AS reason
FROM account
