// Package sqlrun runs SQL that a user typed on one database connection and
// reads the result into memory for internal/render. `stance query` and the
// REPL share it.
package sqlrun

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/drift"
	"github.com/stance-cspm/stance/internal/render"
)

// Query runs query on conn and returns every row.
func Query(ctx context.Context, conn *sql.Conn, query string) (render.Result, error) {
	rows, err := Rows(ctx, conn, query)
	if err != nil {
		return render.Result{}, err
	}
	defer rows.Close()
	return Scan(rows)
}

// Rows runs query on conn. When the query mentions the drift macro
// stance_changes, the macro is created first. Other queries skip it,
// because the macro is built over every history table.
func Rows(ctx context.Context, conn *sql.Conn, query string) (*sql.Rows, error) {
	if strings.Contains(strings.ToLower(query), drift.MacroName) {
		if err := drift.Install(ctx, conn); err != nil {
			return nil, err
		}
	}
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("query failed: %w", err)
	}
	return rows, nil
}

// IsMultiStatement reports whether query holds more than one SQL statement.
// The duckdb-go driver runs every statement of such a query but returns
// the rows of the last one only. Prepare without a context prepares
// nothing when the query has several statements, so the check runs no SQL.
func IsMultiStatement(conn *sql.Conn, query string) bool {
	multi := false
	_ = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(driver.Conn)
		if !ok {
			return nil
		}
		stmt, err := c.Prepare(query)
		if err != nil {
			// NOTE: duckdb-go v2.10506.0 reports several statements only
			// through this message, which has no exported error value.
			multi = strings.Contains(err.Error(), "multi-statement query")
			return nil
		}
		return stmt.Close()
	})
	return multi
}

// Scan reads every row of rows.
func Scan(rows *sql.Rows) (render.Result, error) {
	var res render.Result
	cols, err := rows.Columns()
	if err != nil {
		return res, err
	}
	res.Columns = cols
	types, err := rows.ColumnTypes()
	if err != nil {
		return res, fmt.Errorf("read result column types: %w", err)
	}
	for _, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return res, fmt.Errorf("read result row: %w", err)
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("query failed: %w", err)
	}
	return res, nil
}
