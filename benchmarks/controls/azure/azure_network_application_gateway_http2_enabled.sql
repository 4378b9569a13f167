-- One result per application gateway; a missing enableHttp2 is false.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.enableHttp2') AS BOOLEAN), false) THEN 'pass' ELSE 'fail' END AS status,
    'application gateway ' || name || CASE
        WHEN coalesce(TRY_CAST(json_extract_string(properties, '$.enableHttp2') AS BOOLEAN), false) THEN ' accepts HTTP/2'
        ELSE ' serves only HTTP/1.1'
    END AS reason
FROM azure_resource
WHERE type = 'microsoft.network/applicationgateways'
