-- serial-port-enable accepts true or 1 (any case) to turn the interactive
-- serial console on; anything else, or no item, leaves it off.
WITH instance AS (
    SELECT
        asset_name AS resource,
        account_id,
        region,
        account_id AS project_id,
        regexp_extract(asset_name, '[^/]+$') AS instance,
        regexp_extract(coalesce((raw->>'$.zone'), region), '[^/]+$') AS zone,
        (SELECT lower(m.value) FROM unnest(coalesce(from_json((raw->'$.metadata.items'), '[{"key": "VARCHAR", "value": "VARCHAR"}]'), [])) AS t(m)
          WHERE m.key = 'serial-port-enable' LIMIT 1) AS serial_value
    FROM gcp_compute_instance
)
SELECT
    resource, account_id, region, project_id, instance, zone,
    CASE WHEN serial_value IN ('true', '1') THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || instance || CASE
        WHEN serial_value IN ('true', '1') THEN ' sets serial-port-enable to ' || serial_value || ', so the interactive serial console accepts connections'
        WHEN serial_value IS NULL THEN ' does not enable the interactive serial console'
        ELSE ' sets serial-port-enable to ' || serial_value
    END AS reason
FROM instance
