-- title: Roles with full administrator access
-- description: Roles with AdministratorAccess attached or an inline policy statement that allows every action on every resource, and the principals that may assume them.
WITH statements AS (
    SELECT r.account_id, r.arn, unnest(CASE json_type(doc.d -> 'Statement')
                                           WHEN 'ARRAY' THEN (doc.d -> 'Statement')::JSON[]
                                           ELSE [doc.d -> 'Statement'] END) AS s
    FROM aws_iam_role r,
         LATERAL (SELECT unnest(json_keys(r.inline_policies)) AS k) names,
         LATERAL (SELECT r.inline_policies -> ('$."' || names.k || '"') AS d) doc
)
SELECT r.account_id, r.role_name, r.assume_role_policy
FROM aws_iam_role r
WHERE list_contains(r.attached_policy_arns, 'arn:aws:iam::aws:policy/AdministratorAccess')
   OR r.arn IN (SELECT arn FROM statements
                WHERE (s ->> 'Effect') = 'Allow'
                  AND json_contains(s -> 'Action', '"*"')
                  AND json_contains(s -> 'Resource', '"*"'))
ORDER BY r.account_id, r.role_name
