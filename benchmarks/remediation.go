package benchmarks

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	gosync "sync"
	"text/template"
	"text/template/parse"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// remediationFunc is the SQL function that renders a remediation command
// template over one result row. Most templates are plain text with
// {{.column}} fields and become SQL (remediationSQL); the function serves
// the others, which use if, range or variables, and runs only for failing
// rows.
const remediationFunc = "stance_remediation"

// remediationSQL returns a SQL expression over the columns of the row
// alias q that renders tmpl, when tmpl holds only text and {{.column}}
// fields. A field that names no column, or a NULL value, renders as empty
// text, as in the template function. ok is false for any other template.
func remediationSQL(tmpl *template.Template, cols []string) (expr string, ok bool) {
	if tmpl == nil || tmpl.Tree == nil || tmpl.Tree.Root == nil {
		return "", false
	}
	known := make(map[string]bool, len(cols))
	for _, c := range cols {
		known[c] = true
	}
	var parts []string
	for _, n := range tmpl.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, sqlLiteral(string(n.Text)))
		case *parse.ActionNode:
			field := singleField(n)
			if field == "" {
				return "", false
			}
			if !known[field] {
				continue
			}
			parts = append(parts, fmt.Sprintf("coalesce(CAST(q.%s AS VARCHAR), '')", quoteIdent(field)))
		default:
			return "", false
		}
	}
	if len(parts) == 0 {
		return "''", true
	}
	return strings.Join(parts, " || "), true
}

// singleField returns the column name of an action that is one field,
// such as {{.bucket}}, or "".
func singleField(n *parse.ActionNode) string {
	if n.Pipe == nil || len(n.Pipe.Decl) > 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
		return ""
	}
	f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 {
		return ""
	}
	return f.Ident[0]
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// templates caches parsed templates by their text for the SQL function.
var templates gosync.Map

// renderRemediation executes a template over a row given as a JSON object.
// NULL values render as empty text. A template that fails gives no
// command, as a missing command is better than a wrong one.
func renderRemediation(text, rowJSON string) (string, error) {
	var tmpl *template.Template
	if v, ok := templates.Load(text); ok {
		tmpl = v.(*template.Template)
	} else {
		t, err := template.New("remediation").Option("missingkey=zero").Parse(text)
		if err != nil {
			return "", err
		}
		templates.Store(text, t)
		tmpl = t
	}
	dec := json.NewDecoder(strings.NewReader(rowJSON))
	dec.UseNumber()
	var row map[string]any
	if err := dec.Decode(&row); err != nil {
		return "", err
	}
	for k, v := range row {
		row[k] = plainValue(v)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, row); err != nil {
		return "", err
	}
	return b.String(), nil
}

// plainValue turns JSON numbers into int64 or float64, as the database
// driver returns them, so that {{if .count}} is false for 0, and NULL into
// empty text.
func plainValue(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case []any:
		for i := range x {
			x[i] = plainValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = plainValue(x[k])
		}
	}
	return v
}

// remediationUDF implements duckdb.ScalarFunc for stance_remediation(template, row_json).
type remediationUDF struct{}

func (remediationUDF) Config() duckdb.ScalarFuncConfig {
	text, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		panic(err) // VARCHAR is always a valid type
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{text, text}, ResultTypeInfo: text}
}

func (remediationUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		tmpl, _ := values[0].(string)
		row, _ := values[1].(string)
		out, err := renderRemediation(tmpl, row)
		if err != nil || out == "" {
			return nil, nil
		}
		return out, nil
	}}
}

// registerRemediation adds stance_remediation to the database. A function
// registered on one connection is visible to every connection.
func registerRemediation(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("register %s: %w", remediationFunc, err)
	}
	defer conn.Close()
	if err := duckdb.RegisterScalarUDF(conn, remediationFunc, remediationUDF{}); err != nil {
		return fmt.Errorf("register %s: %w", remediationFunc, err)
	}
	return nil
}

// remediationExpr returns the SQL expression of a control's remediation
// command over the row alias q, or NULL without a template.
func remediationExpr(c *Control, cols []string) (string, error) {
	if c.RemediationCommand == "" {
		return "NULL", nil
	}
	tmpl, err := template.New(c.ID).Option("missingkey=zero").Parse(c.RemediationCommand)
	if err != nil {
		return "", fmt.Errorf("invalid remediation_command template: %w", err)
	}
	if expr, ok := remediationSQL(tmpl, cols); ok {
		return expr, nil
	}
	return fmt.Sprintf("%s(%s, CAST(to_json(q) AS VARCHAR))", remediationFunc, sqlLiteral(c.RemediationCommand)), nil
}
