-- One result per key vault. Connection states are read from raw
-- (properties.privateEndpointConnections); only Approved ones count.
WITH vault AS (
    SELECT
        *,
        coalesce(len(list_filter(
            coalesce(json_extract_string(raw, '$.properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status'), []),
            s -> lower(s) = 'approved')), 0) AS approved_connections
    FROM azure_key_vault
)
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    arm_id,
    CASE WHEN approved_connections > 0 THEN 'pass' ELSE 'fail' END AS status,
    'key vault ' || name || CASE
        WHEN approved_connections > 0 THEN ' has ' || approved_connections || ' approved private endpoint connections'
        ELSE ' has no approved private endpoint connection'
    END AS reason
FROM vault
