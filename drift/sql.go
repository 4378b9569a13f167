package drift

import (
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// Columns of every row that ChangesSQL and the stance_changes macro return.
var Columns = []string{
	"table_name", "account_id", "region", "_key", "resource_id", "change",
	"path", "old_value", "new_value", "old_valid_from", "new_valid_from", "tags",
}

// Kinds of change in the change column.
const (
	Added   = "added"
	Removed = "removed"
	Changed = "changed"
)

// ChangesSQL returns a query over the history of the given tables that
// yields one row per changed field between the moments $from and $to (two
// TIMESTAMPTZ expressions). A changed JSON column is walked down to the
// deepest path whose two values differ: where both sides hold an object or
// an array the walk goes on, elsewhere it stops and reports both values.
// An added or removed resource yields one row per non-NULL column. Fields
// listed in IgnoreInDrift never appear.
//
// NOTE: arrays are compared by position, so an element inserted at the
// front of a list (a policy statement, a rule) shows as a change of every
// later element rather than as one added element.
//
// columns maps each table name to the columns that its history table has,
// so that a database written by an older stance, which lacks newer columns,
// can still be read. A table missing from columns is left out.
//
// ordered promises that from is not after to. The query then selects the
// versions with plain range conditions on _valid_from and _valid_to, which
// DuckDB applies inside the table scan before it reads the other columns.
// Without the promise it uses conditions that hold in both orders, which
// DuckDB can only apply after reading every column of every version.
func ChangesSQL(tbls []*tables.Table, columns map[string]map[string]bool, from, to string, ordered bool) string {
	var branches []string
	for _, t := range tbls {
		if present := columns[t.Name]; len(present) > 0 {
			branches = append(branches, tableSQL(t, present, from, to, ordered))
		}
	}
	if len(branches) == 0 {
		return `SELECT NULL::VARCHAR AS table_name, NULL::VARCHAR AS account_id, NULL::VARCHAR AS region,
			NULL::VARCHAR AS _key, NULL::VARCHAR AS resource_id, NULL::VARCHAR AS change, NULL::VARCHAR AS path,
			NULL::JSON AS old_value, NULL::JSON AS new_value, NULL::TIMESTAMPTZ AS old_valid_from,
			NULL::TIMESTAMPTZ AS new_valid_from, NULL::MAP(VARCHAR, VARCHAR) AS tags WHERE false`
	}
	// The phases: pairs of versions whose hashes differ, one row per
	// differing column, then a walk of the JSON trees of the columns whose
	// two values are containers of one type.
	//
	//
	// The walk is a recursive CTE over scalar functions in place of
	// json_tree. json_tree is a table function, so DuckDB joins its rows
	// back to each container by the container's JSON text, which took about
	// a third of the query's CPU time in a profile over 100,000 synthetic
	// resources. Each level lists the children
	// of both sides with json_keys and json_extract(doc, '$.*') (or
	// '$[*]' for an array), which return them in document order, joins
	// them by step and goes on only where the two values differ. A step is
	// ".key" for an object and "[i]" for an array, the form of json_tree's
	// fullkey.
	return `WITH RECURSIVE changed AS (
	` + strings.Join(branches, "\n	UNION ALL\n	") + `
),
columns AS (
	SELECT * EXCLUDE (f), f.col AS col, f.old AS old, f.new AS new
	FROM (SELECT * EXCLUDE (fields), unnest(fields) AS f FROM changed)
	WHERE f.old IS DISTINCT FROM f.new
),
flat AS (
	SELECT * EXCLUDE (old, new, col), col AS path, old AS old_value, new AS new_value
	FROM columns
	WHERE change <> 'changed' OR old IS NULL OR new IS NULL
		OR json_type(old) <> json_type(new) OR json_type(old) NOT IN ('OBJECT', 'ARRAY')
),
containers AS (
	SELECT row_number() OVER () AS pair_id, *
	FROM columns
	WHERE change = 'changed' AND json_type(old) = json_type(new) AND json_type(old) IN ('OBJECT', 'ARRAY')
),
walk AS (
	SELECT pair_id, ''::VARCHAR AS sub, old AS o, new AS n, json_type(old) AS ot, json_type(new) AS nt FROM containers
	UNION ALL
	SELECT pair_id, sub, o, n, json_type(o), json_type(n) FROM (
		SELECT coalesce(a.pair_id, b.pair_id) AS pair_id, coalesce(a.sub, b.sub) || coalesce(a.step, b.step) AS sub, a.v AS o, b.v AS n
		FROM (
			SELECT pair_id, sub, unnest(steps) AS step, unnest(vals) AS v FROM (
			SELECT pair_id, sub,
				CASE WHEN ot = 'OBJECT' THEN ['.' || k FOR k IN json_keys(o)]
					ELSE ['[' || i || ']' FOR i IN range(json_array_length(o)::BIGINT)] END AS steps,
				CASE WHEN ot = 'OBJECT' THEN json_extract(o, '$.*') ELSE json_extract(o, '$[*]') END AS vals
			FROM walk
			WHERE ot = nt AND ot IN ('OBJECT', 'ARRAY')
		)
		) a
		FULL JOIN (
			SELECT pair_id, sub, unnest(steps) AS step, unnest(vals) AS v FROM (
			SELECT pair_id, sub,
				CASE WHEN nt = 'OBJECT' THEN ['.' || k FOR k IN json_keys(n)]
					ELSE ['[' || i || ']' FOR i IN range(json_array_length(n)::BIGINT)] END AS steps,
				CASE WHEN nt = 'OBJECT' THEN json_extract(n, '$.*') ELSE json_extract(n, '$[*]') END AS vals
			FROM walk
			WHERE ot = nt AND ot IN ('OBJECT', 'ARRAY')
		)
		) b ON a.pair_id = b.pair_id AND a.sub = b.sub AND a.step = b.step
		WHERE a.v IS DISTINCT FROM b.v
	)
),
walked AS (
	SELECT c.* EXCLUDE (pair_id, old, new, col), c.col || w.sub AS path, w.o AS old_value, w.n AS new_value
	FROM walk w
	JOIN containers c ON c.pair_id = w.pair_id
	WHERE w.sub <> ''
		AND NOT (w.ot IS NOT DISTINCT FROM w.nt AND w.ot IN ('OBJECT', 'ARRAY'))
),
fields AS (
	SELECT * FROM flat
	UNION ALL BY NAME
	SELECT * FROM walked
)
SELECT ` + strings.Join(Columns, ", ") + `
FROM fields
WHERE NOT coalesce(list_bool_or([path = i OR starts_with(path, i || '.') OR starts_with(path, i || '[') FOR i IN ignore]), false)`
}

// tableSQL returns the branch of one table: the versions valid at from but
// not at to, and those valid at to but not at from, joined on the resource
// key and kept where their hashes differ, with their columns as a list of
// (col, old, new) JSON values.
func tableSQL(t *tables.Table, present map[string]bool, from, to string, ordered bool) string {
	sc := t.Schema()
	ignoredColumns := map[string]bool{}
	var subPaths []string
	for _, p := range t.IgnoreInDrift {
		if strings.ContainsAny(p, ".[") {
			subPaths = append(subPaths, p)
		} else {
			ignoredColumns[p] = true
		}
	}
	var fields []string
	for _, c := range sc.Columns {
		if ignoredColumns[c.Name] || !present[c.Name] || c.Name == tables.ColAccountID || c.Name == tables.ColRegion {
			continue
		}
		fields = append(fields, fmt.Sprintf("{'col': '%[1]s', 'old': to_json(o.%[1]s), 'new': to_json(n.%[1]s)}", c.Name))
	}
	history := store.HistorySchema + "." + t.Name
	validAt := func(at string) string {
		return fmt.Sprintf("(%s <= %s AND (%s IS NULL OR %s > %s))",
			store.ColValidFrom, at, store.ColValidTo, store.ColValidTo, at)
	}
	// A resource has at most one version valid at a moment, so a version
	// valid at both moments is the version on both sides and has no change.
	// Leaving such versions out of both sides before the join gives the
	// same rows, and the join then sees only the changed resources.
	side := func(at, other string) string {
		return fmt.Sprintf("(SELECT * FROM %s WHERE %s AND NOT %s)", history, validAt(at), validAt(other))
	}
	oldSide, newSide := side(from, to), side(to, from)
	if ordered {
		// With from <= to, a version valid at from but not at to was
		// closed after from and no later than to, and a version valid at
		// to but not at from was opened after from and no later than to.
		oldSide = fmt.Sprintf("(SELECT * FROM %[1]s WHERE %[2]s <= %[4]s AND %[3]s > %[4]s AND %[3]s <= %[5]s)",
			history, store.ColValidFrom, store.ColValidTo, from, to)
		newSide = fmt.Sprintf("(SELECT * FROM %[1]s WHERE %[2]s > %[4]s AND %[2]s <= %[5]s AND (%[3]s IS NULL OR %[3]s > %[5]s))",
			history, store.ColValidFrom, store.ColValidTo, from, to)
	}
	return fmt.Sprintf(`SELECT '%[1]s' AS table_name,
		coalesce(n.account_id, o.account_id) AS account_id, coalesce(n.region, o.region) AS region,
		coalesce(n._key, o._key) AS _key, coalesce(n.%[2]s, o.%[2]s)::VARCHAR AS resource_id,
		CASE WHEN o._key IS NULL THEN 'added' WHEN n._key IS NULL THEN 'removed' ELSE 'changed' END AS change,
		o._valid_from AS old_valid_from, n._valid_from AS new_valid_from,
		coalesce(n.tags, o.tags) AS tags,
		%[3]s::VARCHAR[] AS ignore,
		[%[4]s] AS fields
	FROM %[5]s o FULL JOIN %[6]s n ON o._key = n._key
	WHERE o._hash IS DISTINCT FROM n._hash`,
		t.Name, t.Key, sqlList(subPaths), strings.Join(fields, ", "), oldSide, newSide)
}

// sqlList returns a DuckDB list literal of strings.
func sqlList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
