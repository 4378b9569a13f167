-- title: Roles with full administrator access
-- description: Roles with an inline or attached policy that allows every action on every resource, and the principals that may assume them.
SELECT r.account_id, r.role_name, r.assume_role_policy
FROM aws_iam_role r
WHERE list_contains(r.attached_policy_arns, 'arn:aws:iam::aws:policy/AdministratorAccess')
   OR EXISTS (
        SELECT 1
        FROM (SELECT unnest(json_keys(r.inline_policies)) AS k) names,
             LATERAL (SELECT unnest(CASE WHEN json_type(r.inline_policies -> names.k -> 'Statement') = 'ARRAY'
                                         THEN (r.inline_policies -> names.k -> 'Statement')::JSON[]
                                         ELSE [r.inline_policies -> names.k -> 'Statement'] END) AS s) st
        WHERE st.s ->> 'Effect' = 'Allow'
          AND (st.s ->> 'Action' = '*' OR list_contains((st.s -> 'Action')::VARCHAR[], '*'))
          AND (st.s ->> 'Resource' = '*' OR list_contains((st.s -> 'Resource')::VARCHAR[], '*')))
ORDER BY r.account_id, r.role_name
