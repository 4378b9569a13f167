-- kept_networks lists the other authorized networks, comma-separated, for
-- the patch command, which replaces the whole list.
WITH instance AS (
    SELECT
    asset_name AS resource,
    account_id,
    region,
    account_id AS project_id,
    regexp_extract(asset_name, '[^/]+$') AS instance,
        coalesce(from_json((raw->'$.settings.ipConfiguration.authorizedNetworks'), '[{"name": "VARCHAR", "value": "VARCHAR"}]'), []) AS networks
    FROM gcp_sql_instance
)
SELECT
    resource, account_id, region, project_id, instance,
    array_to_string(list_transform(list_filter(networks, lambda n: n.value NOT IN ('0.0.0.0/0', '::/0')), lambda n: n.value), ',') AS kept_networks,
    CASE WHEN len(list_filter(networks, lambda n: n.value IN ('0.0.0.0/0', '::/0'))) > 0 THEN 'fail' ELSE 'pass' END AS status,
    'instance ' || instance || CASE
        WHEN len(list_filter(networks, lambda n: n.value IN ('0.0.0.0/0', '::/0'))) > 0
            THEN ' authorizes ' || array_to_string(list_transform(list_filter(networks, lambda n: n.value IN ('0.0.0.0/0', '::/0')),
                                                                  lambda n: n.value || coalesce(' (' || n.name || ')', '')), ', ')
        WHEN len(networks) = 0 THEN ' has no authorized networks'
        ELSE ' authorizes only ' || array_to_string(list_transform(networks, lambda n: n.value), ', ')
    END AS reason
FROM instance
