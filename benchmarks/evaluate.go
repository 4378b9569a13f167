package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// requiredColumns are the columns of the control contract.
var requiredColumns = []string{"resource", "status", "reason", "account_id", "region"}

// evaluate runs one control on its own connection and adds its results to
// the run's scratch table under the control's number ctl. The rows stay
// inside DuckDB: one INSERT ... SELECT wraps the control's query, checks
// every row against the contract, applies the filters, blind spots,
// suppressions and the remediation template, and appends the rows that record
// where the control could not be evaluated. A control that fails adds one
// error result instead. Execute counts the results afterwards.
func evaluate(ctx context.Context, st *store.Store, c *Control, ctl int, f Filters, at time.Time, sups []suppression, scratch string, passes bool) (out Outcome) {
	start := time.Now()
	out = Outcome{Control: c}
	// The named result lets the deferred call set the duration of every
	// return path.
	defer func() { out.Duration = time.Since(start) }()

	conn, err := st.Conn(ctx)
	if err != nil {
		out.Err = err
		return out
	}
	defer conn.Close()
	fail := func(err error) Outcome {
		out.Err = err
		reason := fmt.Sprintf("control %s failed: %v", c.ID, err)
		// A statement that failed added nothing, so this is the control's
		// only result.
		_, ierr := conn.ExecContext(context.WithoutCancel(ctx), `INSERT INTO `+scratch+` (`+scratchColumns+`)
			VALUES (?, ?, 'error', ?, NULL, NULL, NULL, false, NULL)`, ctl, c.ID, reason)
		if ierr != nil {
			out.Err = fmt.Errorf("%w (and its error result could not be stored: %v)", err, ierr)
		}
		return out
	}
	if !at.IsZero() {
		if err := store.SetAt(ctx, conn, at); err != nil {
			return fail(err)
		}
	}
	gaps, err := blindSpots(ctx, conn, c.Tables, at)
	if err != nil {
		return fail(err)
	}
	body := controlBody(c.SQL)
	cols, err := queryColumns(ctx, conn, body)
	if err != nil {
		return fail(err)
	}
	for _, need := range requiredColumns {
		if _, ok := cols[need]; !ok {
			return fail(fmt.Errorf("query returns no %q column: a control returns resource, status, reason, account_id and region", need))
		}
	}
	remediation, err := remediationExpr(c, cols)
	if err != nil {
		return fail(err)
	}
	stmt := "INSERT INTO " + scratch + " (" + scratchColumns + ")\n" + selectSQL(c, ctl, body, remediation, f, gaps, sups, passes)
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		return fail(err)
	}
	return out
}

// controlBody returns a control's query ready to nest in a CTE: without
// the semicolons and comments that may follow its last clause, and on its
// own lines so that a comment on its last line cannot swallow the
// closing parenthesis. A semicolon inside the query is left to fail in
// DuckDB, because a control is one statement.
func controlBody(q string) string {
	q = strings.TrimSpace(q)
	for {
		start := strings.LastIndex(q, "\n") + 1
		line := q[start:]
		comment := strings.Index(line, "--")
		switch {
		case strings.HasSuffix(q, ";"):
			q = strings.TrimSpace(strings.TrimSuffix(q, ";"))
		case start > 0 && strings.HasPrefix(strings.TrimSpace(line), "--"):
			q = strings.TrimSpace(q[:start])
		case strings.HasSuffix(q, "*/") && strings.LastIndex(q, "/*") > 0:
			q = strings.TrimSpace(q[:strings.LastIndex(q, "/*")])
		case comment > 0 && strings.HasSuffix(strings.TrimSpace(line[:comment]), ";") && !strings.ContainsAny(line[comment:], `'"`):
			q = strings.TrimSpace(q[:start+comment])
		default:
			return "\n" + q + "\n"
		}
	}
}

// queryColumns returns the names and DuckDB types of the columns that a
// query returns. LIMIT 0 lets DuckDB bind and plan the query without
// reading a row, so a missing table or column fails here with DuckDB's
// message.
func queryColumns(ctx context.Context, conn *sql.Conn, body string) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT * FROM ("+body+") LIMIT 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(types))
	for _, t := range types {
		out[t.Name()] = t.DatabaseTypeName()
	}
	return out, nil
}

// scratchColumns lists the columns of a run's scratch table. ctl numbers
// the control within the run; save adds the run's and the control's own
// values when it copies the rows to stance_check_result.
const scratchColumns = `ctl, resource, status, reason, account_id, region, remediation_command, suppressed, suppression_reason`

// selectSQL builds the query that evaluates a control and returns its
// results in the columns of the scratch table. Unless passes is set, a
// passing result keeps only its status, to be counted. Its CTEs, in order:
//
//	q: the control's query.
//	r: the contract's columns as text, and the remediation command of a failing row.
//	s: statuses and reasons checked against the contract, without the rows outside the filters.
//	d: pass and fail turned into skip where a table that the control reads has a blind spot.
//	e: each failing result with the first active suppression of its resource.
//
// A skip row for each blind spot in the filters follows the results.
func selectSQL(c *Control, ctl int, body, remediation string, f Filters, gaps []gap, sups []suppression, passes bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "WITH q AS (%s),\n", body)
	fmt.Fprintf(&b, `r AS (
	SELECT nullif(CAST(q.account_id AS VARCHAR), '') AS account_id,
		nullif(CAST(q.region AS VARCHAR), '') AS region,
		CAST(q.resource AS VARCHAR) AS stance_resource,
		lower(CAST(q.status AS VARCHAR)) AS stance_status,
		CAST(q.reason AS VARCHAR) AS stance_reason,
		CASE WHEN stance_status = 'fail' THEN %s END AS remediation
	FROM q),
s AS (
	SELECT account_id, region,
		coalesce(nullif(stance_resource, ''), coalesce(account_id, '') || '/' || coalesce(region, '')) AS resource,
		CASE WHEN stance_status IN %[2]s THEN stance_status ELSE 'error' END AS status,
		CASE WHEN stance_status IS NULL OR stance_status NOT IN %[2]s
				THEN 'control returned invalid status "' || coalesce(stance_status, '') || '" (want pass, fail, error, skip or info): ' || coalesce(stance_reason, '')
			WHEN stance_reason IS NULL OR stance_reason = '' OR (ascii(stance_reason) IN (9, 10, 13, 32) AND trim(stance_reason) = '')
				THEN %[3]s || stance_status || ' without a reason'
			ELSE stance_reason END AS reason,
		remediation
	FROM r WHERE %[4]s),
`, remediation, statusList, sqlLiteral("control "+c.ID+" returned "), scopeSQL(f))
	b.WriteString(blindSpotCTE(c, gaps))
	b.WriteString(suppressionCTE(c, sups))

	if passes {
		fmt.Fprintf(&b, `SELECT %d, resource, status, reason, account_id, region, remediation,
	suppression_reason IS NOT NULL, suppression_reason FROM e`, ctl)
	} else {
		fmt.Fprintf(&b, `SELECT %d, CASE WHEN status <> 'pass' THEN resource END, status,
	CASE WHEN status <> 'pass' THEN reason END, CASE WHEN status <> 'pass' THEN account_id END,
	CASE WHEN status <> 'pass' THEN region END, remediation,
	suppression_reason IS NOT NULL, suppression_reason FROM e`, ctl)
	}

	var skipRows []string
	for _, g := range gaps {
		skipRows = append(skipRows, fmt.Sprintf("(%s, %s, %s, %s)", sqlLiteral(g.AccountID+"/"+g.Region),
			sqlLiteral(g.reason()), nullLiteral(g.AccountID), nullLiteral(g.Region)))
	}
	if len(skipRows) > 0 {
		fmt.Fprintf(&b, `
UNION ALL
SELECT %d, v.resource, 'skip', v.reason, v.account_id, v.region, NULL, false, NULL
FROM (VALUES %s) v(resource, reason, account_id, region) WHERE %s`, ctl, strings.Join(skipRows, ", "), scopeSQL(f))
	}
	return b.String()
}

// blindSpotCTE returns CTE d, which turns a pass or fail into skip where a
// table that the control reads was not readable, because the query then
// saw stale or missing rows. A gap in the global region covers its whole
// account. A regional gap covers its region and the account's results in
// no region or the global one. A table never synced adds only its skip
// row, and a control that handles blind spots itself is left alone.
func blindSpotCTE(c *Control, gaps []gap) string {
	var rows []string
	for i, g := range gaps {
		if !g.Never {
			rows = append(rows, fmt.Sprintf("(%d, %s, %s, %s)", i, sqlLiteral(g.AccountID), sqlLiteral(g.Region), sqlLiteral(g.reason())))
		}
	}
	if len(rows) == 0 || c.HandlesBlindSpots {
		return "d AS (SELECT * FROM s),\n"
	}
	return fmt.Sprintf(`g(ord, account_id, region, reason) AS (VALUES %s),
d0 AS (
	SELECT s.*, CASE WHEN s.status IN ('pass', 'fail') THEN (
			SELECT g.reason FROM g WHERE g.account_id = s.account_id
				AND (g.region = s.region OR g.region = 'global' OR s.region IS NULL OR s.region = 'global')
			ORDER BY g.ord LIMIT 1) END AS gap_reason
	FROM s),
d AS (
	SELECT account_id, region, resource,
		CASE WHEN gap_reason IS NULL THEN status ELSE 'skip' END AS status,
		CASE WHEN gap_reason IS NULL THEN reason ELSE gap_reason || '; the query said ' || status || ': ' || reason END AS reason,
		CASE WHEN gap_reason IS NULL THEN remediation END AS remediation
	FROM d0),
`, strings.Join(rows, ", "))
}

// suppressionCTE returns CTE e, which gives each failing result the note
// of the first active suppression whose patterns match its control and
// resource. The control pattern is matched here, once per control.
func suppressionCTE(c *Control, sups []suppression) string {
	var rows []string
	for i, sp := range sups {
		if globMatch(sp.Control, c.ID) {
			rows = append(rows, fmt.Sprintf("(%d, %s, %s)", i, sqlLiteral(likePattern(sp.Resource)), sqlLiteral(sp.note())))
		}
	}
	if len(rows) == 0 {
		return "e AS (SELECT d.*, NULL::VARCHAR AS suppression_reason FROM d)\n"
	}
	return fmt.Sprintf(`sp(ord, pattern, note) AS (VALUES %s),
e AS (
	SELECT d.*, CASE WHEN d.status = 'fail' THEN (
			SELECT sp.note FROM sp WHERE d.resource LIKE sp.pattern ESCAPE '\' ORDER BY sp.ord LIMIT 1) END AS suppression_reason
	FROM d)
`, strings.Join(rows, ", "))
}

// statusList is the statuses of the control contract as a SQL list.
const statusList = "('pass', 'fail', 'error', 'skip', 'info')"

// scopeSQL returns the condition of the --account and --region filters
// over the columns account_id and region. A result without an account or
// region, or in the global region, is always in scope.
func scopeSQL(f Filters) string {
	conds := []string{"true"}
	if len(f.Accounts) > 0 {
		conds = append(conds, "(account_id IS NULL OR account_id IN ("+literalList(f.Accounts)+"))")
	}
	if len(f.Regions) > 0 {
		conds = append(conds, "(region IS NULL OR region = 'global' OR region IN ("+literalList(f.Regions)+"))")
	}
	return strings.Join(conds, " AND ")
}

func literalList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = sqlLiteral(s)
	}
	return strings.Join(out, ", ")
}

func nullLiteral(s string) string {
	if s == "" {
		return "NULL"
	}
	return sqlLiteral(s)
}

// likePattern turns a suppression pattern, in which * matches any text,
// into a LIKE pattern with \ as its escape character.
func likePattern(glob string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`, `*`, `%`)
	return r.Replace(glob)
}
