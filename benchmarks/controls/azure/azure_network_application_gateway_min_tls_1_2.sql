-- One result per application gateway, judged by properties.sslPolicy.
WITH gateway AS (
    SELECT
        *,
        json_extract_string(properties, '$.sslPolicy.policyType') AS policy_type,
        json_extract_string(properties, '$.sslPolicy.policyName') AS policy_name,
        json_extract_string(properties, '$.sslPolicy.minProtocolVersion') AS min_protocol_version
    FROM azure_resource
    WHERE type = 'microsoft.network/applicationgateways'
),
judged AS (
    SELECT
        *,
        CASE
            WHEN policy_type IN ('Custom', 'CustomV2') THEN min_protocol_version IN ('TLSv1_2', 'TLSv1_3')
            WHEN policy_type = 'Predefined' THEN policy_name IN ('AppGwSslPolicy20170401S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20220101S')
            ELSE false
        END AS tls12
    FROM gateway
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN tls12 THEN 'pass' ELSE 'fail' END AS status,
    'application gateway ' || name || CASE
        WHEN policy_type IS NULL THEN ' sets no SSL policy, so its minimum TLS version depends on the API version that created it'
        WHEN policy_type = 'Predefined' THEN ' uses predefined SSL policy ' || coalesce(policy_name, '?') || CASE WHEN tls12 THEN ', which requires TLS 1.2' ELSE ', which allows TLS older than 1.2' END
        ELSE ' uses a custom SSL policy with minimum ' || coalesce(min_protocol_version, 'not set')
    END AS reason
FROM judged
