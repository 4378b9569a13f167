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
// columns maps each table name to the columns that its history table has,
// so that a database written by an older stance, which lacks newer columns,
// can still be read. A table missing from columns is left out.
func ChangesSQL(tbls []*tables.Table, columns map[string]map[string]bool, from, to string) string {
	var branches []string
	for _, t := range tbls {
		if present := columns[t.Name]; len(present) > 0 {
			branches = append(branches, tableSQL(t, present, from, to))
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
	return `WITH changed AS (
	` + strings.Join(branches, "\n	UNION ALL\n	") + `
),
columns AS (
	SELECT c.* EXCLUDE (fields), f.col AS col, f.old AS old, f.new AS new
	FROM changed c, unnest(c.fields) AS u(f)
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
old_nodes AS (
	SELECT c.pair_id, t.fullkey, t.path AS parent, t.type, t.value
	FROM containers c, json_tree(c.old) t
),
new_nodes AS (
	SELECT c.pair_id, t.fullkey, t.path AS parent, t.type, t.value
	FROM containers c, json_tree(c.new) t
),
nodes AS (
	SELECT coalesce(o.pair_id, n.pair_id) AS pair_id, coalesce(o.fullkey, n.fullkey) AS fullkey,
		coalesce(o.parent, n.parent) AS parent, o.type AS old_type, n.type AS new_type,
		o.value AS old_value, n.value AS new_value
	FROM old_nodes o FULL JOIN new_nodes n ON o.pair_id = n.pair_id AND o.fullkey = n.fullkey
),
shared AS (
	SELECT pair_id, fullkey FROM nodes
	WHERE old_type = new_type AND old_type IN ('OBJECT', 'ARRAY')
),
walked AS (
	SELECT c.* EXCLUDE (pair_id, old, new, col), c.col || substr(n.fullkey, 2) AS path,
		n.old_value, n.new_value
	FROM nodes n
	JOIN shared p ON p.pair_id = n.pair_id AND p.fullkey = n.parent
	JOIN containers c ON c.pair_id = n.pair_id
	WHERE n.fullkey <> '$'
		AND NOT (n.old_type IS NOT DISTINCT FROM n.new_type AND n.old_type IN ('OBJECT', 'ARRAY'))
		AND n.old_value IS DISTINCT FROM n.new_value
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
func tableSQL(t *tables.Table, present map[string]bool, from, to string) string {
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
		t.Name, t.Key, sqlList(subPaths), strings.Join(fields, ", "), side(from, to), side(to, from))
}

// sqlList returns a DuckDB list literal of strings.
func sqlList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
