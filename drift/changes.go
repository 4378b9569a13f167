package drift

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// Querier is a database handle that runs queries: *sql.DB, *sql.Conn or
// *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Filter narrows the resources that Changes compares. Empty fields match
// everything; several values in one field match any of them.
type Filter struct {
	Providers []string
	Tables    []string
	Accounts  []string
	Regions   []string
	// Keys keeps the resources with these _key values.
	Keys []string
	// Tags keeps resources that carry every tag listed, with its value, in
	// the newer of their two versions (the older one for a removed
	// resource).
	Tags map[string]string
	// KeepRawMirrors keeps the fields under raw that repeat the change of
	// a modelled column, which Changes otherwise leaves out (see
	// hideRawMirrors).
	KeepRawMirrors bool
}

// Field is one changed field of a resource.
type Field struct {
	// Path is the column name, followed for JSON columns by the path inside
	// the document: policy.Statement[0].Principal.
	Path string `json:"path"`
	// Old and New are the values as JSON, nil where the field is absent.
	Old json.RawMessage `json:"old_value"`
	New json.RawMessage `json:"new_value"`
}

// Change is one resource added, removed or changed between two moments.
type Change struct {
	Table      string `json:"table_name"`
	AccountID  string `json:"account_id"`
	Region     string `json:"region"`
	Key        string `json:"key"`
	ResourceID string `json:"resource_id"`
	// Kind is Added, Removed or Changed.
	Kind string `json:"change"`
	// OldValidFrom and NewValidFrom are the sync times at which the two
	// compared versions were first seen; nil for the absent side.
	OldValidFrom *time.Time        `json:"old_valid_from,omitempty"`
	NewValidFrom *time.Time        `json:"new_valid_from,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
	Fields       []Field           `json:"fields"`
	// HiddenRawFields is the number of fields under raw left out because
	// they repeat a field of Fields.
	HiddenRawFields int `json:"hidden_raw_fields,omitempty"`
}

// Changes compares the versions of every resource valid at from with those
// valid at to, and returns the resources added, removed or changed, sorted
// by table, account, region and key. A resource whose only changes are in
// IgnoreInDrift fields is not returned. Unless f.KeepRawMirrors is set, a
// changed resource's fields under raw that repeat a modelled column's
// change are left out.
func Changes(ctx context.Context, q Querier, from, to time.Time, f Filter) ([]Change, error) {
	tbls, err := selectTables(f)
	if err != nil {
		return nil, err
	}
	columns, err := historyColumns(ctx, q)
	if err != nil {
		return nil, err
	}
	query, args := filteredSQL(tbls, columns, from, to, f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("compare %s with %s: %w", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), err)
	}
	defer rows.Close()

	var out []Change
	for rows.Next() {
		var c Change
		var fld Field
		var path sql.NullString
		var oldValue, newValue sql.NullString
		var oldFrom, newFrom sql.NullTime
		var tags sql.NullString
		if err := rows.Scan(&c.Table, &c.AccountID, &c.Region, &c.Key, &c.ResourceID, &c.Kind,
			&path, &oldValue, &newValue, &oldFrom, &newFrom, &tags); err != nil {
			return nil, fmt.Errorf("read change row: %w", err)
		}
		fld.Path = path.String
		if oldValue.Valid {
			fld.Old = json.RawMessage(oldValue.String)
		}
		if newValue.Valid {
			fld.New = json.RawMessage(newValue.String)
		}
		if n := len(out); n > 0 && out[n-1].Table == c.Table && out[n-1].Key == c.Key {
			out[n-1].Fields = append(out[n-1].Fields, fld)
			continue
		}
		if oldFrom.Valid {
			t := oldFrom.Time.UTC()
			c.OldValidFrom = &t
		}
		if newFrom.Valid {
			t := newFrom.Time.UTC()
			c.NewValidFrom = &t
		}
		c.Tags = tagMap(tags)
		c.Fields = []Field{fld}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	if !f.KeepRawMirrors {
		for i := range out {
			if out[i].Kind == Changed {
				out[i].Fields, out[i].HiddenRawFields = hideRawMirrors(out[i].Fields)
			}
		}
	}
	return out, nil
}

// selectTables returns the registered tables that the filter's providers
// and tables name, or an error naming an unknown table.
func selectTables(f Filter) ([]*tables.Table, error) {
	wantTable := map[string]bool{}
	for _, name := range f.Tables {
		if _, ok := tables.Lookup(name); !ok {
			return nil, fmt.Errorf("unknown table %q: list the tables with 'stance tables'", name)
		}
		wantTable[name] = true
	}
	wantProvider := map[string]bool{}
	for _, p := range f.Providers {
		wantProvider[p] = true
	}
	var out []*tables.Table
	for _, t := range tables.All() {
		if len(wantTable) > 0 && !wantTable[t.Name] {
			continue
		}
		if len(wantProvider) > 0 && !wantProvider[t.Provider] {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// historyColumns returns the columns of every history table in the
// database, by table name.
func historyColumns(ctx context.Context, q Querier) (map[string]map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ?`, store.HistorySchema)
	if err != nil {
		return nil, fmt.Errorf("read history tables: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]bool{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, fmt.Errorf("read history tables: %w", err)
		}
		if out[table] == nil {
			out[table] = map[string]bool{}
		}
		out[table][column] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history tables: %w", err)
	}
	return out, nil
}

// filteredSQL wraps ChangesSQL with the filter's accounts, regions and
// tags, and sorts the rows so that the fields of one resource are adjacent.
func filteredSQL(tbls []*tables.Table, columns map[string]map[string]bool, from, to time.Time, f Filter) (string, []any) {
	args := []any{}
	var where []string
	if len(f.Accounts) > 0 {
		where = append(where, "account_id IN ("+placeholders(len(f.Accounts))+")")
		for _, a := range f.Accounts {
			args = append(args, a)
		}
	}
	if len(f.Regions) > 0 {
		where = append(where, "region IN ("+placeholders(len(f.Regions))+")")
		for _, r := range f.Regions {
			args = append(args, r)
		}
	}
	if len(f.Keys) > 0 {
		where = append(where, "_key IN ("+placeholders(len(f.Keys))+")")
		for _, k := range f.Keys {
			args = append(args, k)
		}
	}
	for k, v := range f.Tags {
		where = append(where, "list_contains(map_extract(tags, ?), ?)")
		args = append(args, k, v)
	}
	// The driver decodes JSON values and maps into its own types; text
	// keeps them as the database wrote them.
	query := "SELECT * REPLACE (old_value::VARCHAR AS old_value, new_value::VARCHAR AS new_value, to_json(tags)::VARCHAR AS tags) FROM (" + ChangesSQL(tbls, columns, timestampLiteral(from), timestampLiteral(to), !from.After(to)) + ")"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY table_name, account_id, region, _key, path"
	return query, args
}

// timestampLiteral returns a DuckDB TIMESTAMPTZ literal. A literal, unlike
// a parameter, lets DuckDB push the validity filter into each scan.
func timestampLiteral(t time.Time) string {
	return "TIMESTAMPTZ '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "+00'"
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// tagMap decodes the tags of a resource, given as a JSON object.
func tagMap(v sql.NullString) map[string]string {
	if !v.Valid {
		return nil
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(v.String), &out); err != nil || len(out) == 0 {
		return nil
	}
	return out
}
