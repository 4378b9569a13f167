-- One row per managed policy attached to at least one user, group or role.
-- Statement may be one object or a list, and Action and Resource may each
-- be a string or a list. A policy whose attachment count is unknown is
-- evaluated too, and skipped when its document grants full access. An
-- AWS managed policy has the same ARN in every account, so its resource
-- is prefixed with the account id to keep findings apart.
WITH policies AS (
    SELECT
        arn,
        policy_name,
        account_id,
        region,
        attachment_count,
        CASE json_type(document -> 'Statement')
            WHEN 'ARRAY' THEN (document -> 'Statement')::JSON[]
            WHEN 'OBJECT' THEN [document -> 'Statement']
        END AS statements
    FROM aws_iam_policy
    WHERE attachment_count IS NULL OR attachment_count > 0
),
statements AS (
    SELECT
        account_id,
        arn,
        unnest(statements) AS statement,
        unnest(generate_series(1, len(statements))) AS position
    FROM policies
),
full_access AS (
    SELECT
        account_id,
        arn,
        string_agg(coalesce('"' || nullif(statement ->> 'Sid', '') || '"', '#' || position), ', ' ORDER BY position)
            AS statement_ids
    FROM statements
    WHERE lower(statement ->> 'Effect') = 'allow'
        AND CASE json_type(statement -> 'Action')
            WHEN 'VARCHAR' THEN statement ->> 'Action' = '*'
            WHEN 'ARRAY' THEN list_contains(statement ->> '$.Action[*]', '*')
            ELSE false
        END
        AND CASE json_type(statement -> 'Resource')
            WHEN 'VARCHAR' THEN statement ->> 'Resource' = '*'
            WHEN 'ARRAY' THEN list_contains(statement ->> '$.Resource[*]', '*')
            ELSE false
        END
    GROUP BY account_id, arn
)
SELECT
    CASE WHEN split_part(p.arn, ':', 5) = 'aws' THEN p.account_id || '/' || p.arn ELSE p.arn END AS resource,
    p.arn,
    p.policy_name,
    p.account_id,
    p.region,
    CASE
        WHEN f.arn IS NOT NULL AND p.attachment_count IS NULL THEN 'skip'
        WHEN f.arn IS NOT NULL THEN 'fail'
        WHEN p.statements IS NULL THEN 'skip'
        ELSE 'pass'
    END AS status,
    'policy ' || coalesce(p.policy_name, p.arn) || CASE
        WHEN f.arn IS NOT NULL AND p.attachment_count IS NULL
            THEN ' allows every action on every resource (statement ' || f.statement_ids
                || '), but whether it is attached is unknown'
        WHEN f.arn IS NOT NULL
            THEN ' is attached to ' || p.attachment_count
                || CASE WHEN p.attachment_count = 1 THEN ' user, group or role' ELSE ' users, groups or roles' END
                || ' and allows every action on every resource (statement ' || f.statement_ids || ')'
        WHEN p.statements IS NULL THEN ' could not be evaluated, because its document or Statement element is missing'
        ELSE ' has no statement that allows every action on every resource'
    END AS reason
FROM policies AS p
LEFT JOIN full_access AS f USING (account_id, arn)
