package repl

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// loadCatalog reads the tables, views, columns, keywords and functions of
// the database for completion, with the descriptions that stance stores
// in stance_table and stance_column.
func loadCatalog(ctx context.Context, conn *sql.Conn) (*catalog, error) {
	c := &catalog{columns: map[string][]columnInfo{}}
	rows, err := conn.QueryContext(ctx, `
		WITH objects AS (
			SELECT schema_name, table_name AS name, comment FROM duckdb_tables()
			WHERE NOT internal AND database_name = current_database()
			UNION ALL
			SELECT schema_name, view_name, comment FROM duckdb_views()
			WHERE NOT internal AND database_name = current_database()
		)
		SELECT o.schema_name, o.name, coalesce(t.description, o.comment, '')
		FROM objects o LEFT JOIN stance_table t ON t.table_name = o.name
		ORDER BY o.schema_name <> 'main', o.schema_name, o.name`)
	if err != nil {
		return nil, fmt.Errorf("read the tables for completion: %w", err)
	}
	for rows.Next() {
		var t tableInfo
		if err := rows.Scan(&t.schema, &t.name, &t.description); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the tables for completion: %w", err)
		}
		c.tables = append(c.tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the tables for completion: %w", err)
	}

	rows, err = conn.QueryContext(ctx, `
		SELECT c.schema_name, c.table_name, c.column_name, c.data_type, coalesce(s.description, c.comment, '')
		FROM duckdb_columns() c
		LEFT JOIN stance_column s ON s.table_name = c.table_name AND s.column_name = c.column_name
		WHERE NOT c.internal AND c.database_name = current_database()
		ORDER BY c.schema_name, c.table_name, c.column_index`)
	if err != nil {
		return nil, fmt.Errorf("read the columns for completion: %w", err)
	}
	for rows.Next() {
		var schema, table string
		var col columnInfo
		if err := rows.Scan(&schema, &table, &col.name, &col.dataType, &col.description); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the columns for completion: %w", err)
		}
		key := tableKey(schema, table)
		c.columns[key] = append(c.columns[key], col)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the columns for completion: %w", err)
	}

	rows, err = conn.QueryContext(ctx, `SELECT keyword_name FROM duckdb_keywords() ORDER BY keyword_name`)
	if err != nil {
		return nil, fmt.Errorf("read the keywords for completion: %w", err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the keywords for completion: %w", err)
		}
		c.keywords = append(c.keywords, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the keywords for completion: %w", err)
	}

	// Only names typed as identifiers are offered: operators such as ||
	// and names that start with an underscore are left out.
	rows, err = conn.QueryContext(ctx, `
		SELECT function_name, coalesce(min(description), min(function_type)) AS description
		FROM duckdb_functions()
		GROUP BY function_name
		HAVING regexp_full_match(function_name, '[a-z][a-z0-9_]*')
		ORDER BY function_name`)
	if err != nil {
		return nil, fmt.Errorf("read the functions for completion: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var desc sql.NullString
		if err := rows.Scan(&name, &desc); err != nil {
			return nil, fmt.Errorf("read the functions for completion: %w", err)
		}
		c.functions = append(c.functions, Candidate{Value: name, Description: firstLine(desc.String), Group: "functions"})
	}
	return c, rows.Err()
}

// firstLine returns the first line of s, cut to 72 characters, for a
// description beside a completion.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 72 {
		return string(r[:71]) + "…"
	}
	return s
}
