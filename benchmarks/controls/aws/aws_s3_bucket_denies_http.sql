-- One row per bucket. A bucket passes when its policy has a statement that
-- denies every S3 action on every object of the bucket to every principal
-- and whose only condition is aws:SecureTransport false, so that S3 rejects
-- any request sent over plain HTTP. A Deny that also tests another key,
-- such as aws:SourceIp, rejects only part of that traffic and does not
-- count. Condition operators and keys are compared case-insensitively.
-- A bucket without a policy fails, and one whose policy could not be read
-- (has_policy NULL) is skipped.
-- NOTE: a Deny on s3:TlsVersion does not count, because a plain HTTP
-- request has no TLS version and so never matches NumericLessThan.
WITH statement_lists AS (
    -- Statement may be one object or a list of them.
    SELECT b.arn,
        CASE json_type(b.policy -> 'Statement')
            WHEN 'ARRAY' THEN (b.policy -> 'Statement')::JSON[]
            ELSE [b.policy -> 'Statement']
        END AS statements
    FROM aws_s3_bucket b
    WHERE b.policy IS NOT NULL
),
statements AS (
    -- unnest and generate_subscripts step through the list together, and
    -- cost far less than a json_each join over every policy. position
    -- counts from 0.
    SELECT arn, generate_subscripts(statements, 1) - 1 AS position, unnest(statements) AS statement
    FROM statement_lists
),
fields AS (
    -- One parse of each statement extracts every element that the checks
    -- read; each -> on the whole statement would parse it again.
    SELECT
        arn,
        position,
        statement,
        json_extract(statement, ['$.Effect', '$.Principal', '$.NotPrincipal', '$.Action', '$.NotAction',
            '$.Resource', '$.NotResource', '$.Condition', '$.Sid']) AS f
    FROM statements
),
deny AS (
    SELECT
        arn,
        position,
        statement,
        f[2] AS principal,
        f[3] AS not_principal,
        f[4] AS action,
        f[5] AS not_action,
        f[6] AS resource,
        f[7] AS not_resource,
        f[8] AS condition,
        f[9] ->> '$' AS sid
    FROM fields
    WHERE f[1] ->> '$' = 'Deny'
),
parsed AS (
    SELECT
        *,
        -- Principals as strings: Principal may be "*", an object whose AWS
        -- entry is a string or a list, or a list of either.
        flatten(list_transform(
            CASE json_type(principal)
                WHEN 'ARRAY' THEN principal::JSON[]
                ELSE [principal]
            END,
            p -> CASE json_type(p)
                WHEN 'VARCHAR' THEN [p ->> '$']
                WHEN 'OBJECT' THEN CASE json_type(p -> 'AWS')
                    WHEN 'VARCHAR' THEN [p ->> 'AWS']
                    WHEN 'ARRAY' THEN (p -> 'AWS')::VARCHAR[]
                    ELSE []::VARCHAR[]
                END
                ELSE []::VARCHAR[]
            END
        )) AS principals,
        -- Action names are case-insensitive.
        list_transform(
            CASE json_type(action)
                WHEN 'ARRAY' THEN action::VARCHAR[]
                WHEN 'VARCHAR' THEN [action ->> '$']
                ELSE []::VARCHAR[]
            END,
            a -> lower(a)
        ) AS actions,
        CASE json_type(resource)
            WHEN 'ARRAY' THEN resource::VARCHAR[]
            WHEN 'VARCHAR' THEN [resource ->> '$']
            ELSE []::VARCHAR[]
        END AS resources,
        -- Operators of the condition block, such as Bool.
        CASE WHEN json_type(condition) = 'OBJECT' THEN json_keys(condition) END AS operators
    FROM deny
),
conditions AS (
    SELECT
        *,
        condition -> operators[1] AS operator_block,
        CASE WHEN json_type(condition -> operators[1]) = 'OBJECT'
            THEN json_keys(condition -> operators[1]) END AS condition_keys
    FROM parsed
),
condition_values AS (
    SELECT
        *,
        -- A condition value may be a boolean, a string or a list of them.
        list_transform(
            CASE json_type(operator_block -> condition_keys[1])
                WHEN 'ARRAY' THEN (operator_block -> condition_keys[1])::VARCHAR[]
                ELSE [operator_block ->> condition_keys[1]]
            END,
            v -> lower(v)
        ) AS condition_values
    FROM conditions
),
judged_statements AS (
    SELECT
        arn,
        coalesce('"' || sid || '"', '#' || (position::INTEGER + 1)) AS label,
        contains(lower(statement::VARCHAR), 'aws:securetransport') AS mentions_secure_transport,
        list_filter([
            CASE
                WHEN not_principal IS NOT NULL THEN 'it exempts principals with NotPrincipal'
                WHEN NOT list_contains(principals, '*') THEN 'it applies to some principals only'
            END,
            CASE
                WHEN not_action IS NOT NULL
                    OR NOT (list_contains(actions, 's3:*') OR list_contains(actions, '*'))
                    THEN 'it covers some S3 actions only'
            END,
            -- A resource pattern covers every object when it ends in * and
            -- matches "<bucket ARN>/", with * and ? as wildcards.
            CASE
                WHEN not_resource IS NOT NULL
                    OR len(list_filter(resources, r ->
                        ends_with(r, '*')
                        AND (arn || '/') LIKE replace(replace(replace(replace(replace(r,
                            '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\'
                    )) = 0
                    THEN 'it covers some objects of the bucket only'
            END,
            -- Exactly one operator, Bool or BoolIfExists, with exactly one
            -- key, aws:SecureTransport, whose value is false.
            CASE
                WHEN NOT coalesce(
                    len(operators) = 1
                    AND lower(operators[1]) IN ('bool', 'boolifexists')
                    AND len(condition_keys) = 1
                    AND lower(condition_keys[1]) = 'aws:securetransport'
                    AND list_contains(condition_values, 'false'), false)
                    THEN 'its condition is not aws:SecureTransport false alone'
            END
        ], problem -> problem IS NOT NULL) AS problems
    FROM condition_values
),
buckets AS (
    SELECT
        arn,
        min(label) FILTER (WHERE len(problems) = 0) AS denying_statement,
        -- The first Deny that tests aws:SecureTransport but falls short.
        min(label || ': ' || array_to_string(problems, ', ')) FILTER (
            WHERE len(problems) > 0 AND mentions_secure_transport
        ) AS partial_statement
    FROM judged_statements
    GROUP BY arn
)
SELECT
    b.arn AS resource,
    b.name,
    b.arn,
    b.account_id,
    b.region,
    -- The remediation command writes a whole new policy, so it is given
    -- only for a bucket known to have none.
    coalesce(b.policy IS NULL AND b.has_policy = false, false) AS policy_absent,
    CASE
        WHEN d.denying_statement IS NOT NULL THEN 'pass'
        WHEN b.policy IS NULL AND b.has_policy IS NULL THEN 'skip'
        ELSE 'fail'
    END AS status,
    CASE
        WHEN d.denying_statement IS NOT NULL
            THEN 'bucket ' || coalesce(b.name, b.arn) || ' denies requests without TLS in policy statement '
                || d.denying_statement
        WHEN b.policy IS NULL AND b.has_policy IS NULL
            THEN 'not evaluated: the bucket policy of ' || coalesce(b.name, b.arn) || ' could not be read'
        WHEN b.policy IS NULL
            THEN 'bucket ' || coalesce(b.name, b.arn) || ' has no bucket policy, so it accepts requests over plain HTTP'
        WHEN d.partial_statement IS NOT NULL
            THEN 'bucket ' || coalesce(b.name, b.arn) || ' denies only part of the requests without TLS, in policy statement '
                || d.partial_statement
        ELSE 'bucket ' || coalesce(b.name, b.arn) || ' has no policy statement that denies every S3 action on its objects '
            || 'to every principal with aws:SecureTransport false as its only condition'
    END AS reason
FROM aws_s3_bucket b
LEFT JOIN buckets d ON d.arn = b.arn
