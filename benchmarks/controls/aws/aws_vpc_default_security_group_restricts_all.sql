-- A VPC's default security group is named "default", a name that no other
-- group can take. It passes only with no inbound and no outbound rule, so
-- both rules that AWS creates with it (all traffic from the group itself,
-- all traffic out) must be gone. Whether instances still use the group is
-- not checked. A rule counts once per source, as the console lists it.
WITH default_group AS (
    SELECT
        *,
        list_sum(list_transform(ip_permissions::JSON[], lambda p: greatest(1,
            coalesce(json_array_length(p -> 'IpRanges'), 0) + coalesce(json_array_length(p -> 'Ipv6Ranges'), 0)
            + coalesce(json_array_length(p -> 'PrefixListIds'), 0) + coalesce(json_array_length(p -> 'UserIdGroupPairs'), 0)))) AS inbound_rules,
        list_sum(list_transform(ip_permissions_egress::JSON[], lambda p: greatest(1,
            coalesce(json_array_length(p -> 'IpRanges'), 0) + coalesce(json_array_length(p -> 'Ipv6Ranges'), 0)
            + coalesce(json_array_length(p -> 'PrefixListIds'), 0) + coalesce(json_array_length(p -> 'UserIdGroupPairs'), 0)))) AS outbound_rules
    FROM aws_vpc_security_group
    WHERE group_name = 'default'
)
SELECT
    coalesce(arn, group_id) AS resource,
    group_id,
    account_id,
    region,
    coalesce(inbound_rules, 0) > 0 AS has_inbound_rules,
    coalesce(outbound_rules, 0) > 0 AS has_outbound_rules,
    CASE
        WHEN ip_permissions IS NULL OR ip_permissions_egress IS NULL THEN 'skip'
        WHEN coalesce(inbound_rules, 0) = 0 AND coalesce(outbound_rules, 0) = 0 THEN 'pass'
        ELSE 'fail'
    END AS status,
    'default security group ' || coalesce(group_id, arn) || coalesce(' of ' || vpc_id, '') || CASE
        WHEN ip_permissions IS NULL OR ip_permissions_egress IS NULL
            THEN ' was not evaluated: its rules were not reported'
        WHEN coalesce(inbound_rules, 0) = 0 AND coalesce(outbound_rules, 0) = 0
            THEN ' has no inbound or outbound rule'
        ELSE ' still has rules: ' || coalesce(inbound_rules, 0) || ' inbound, ' || coalesce(outbound_rules, 0) || ' outbound'
    END AS reason
FROM default_group
