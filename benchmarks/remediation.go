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
// alias q that renders tmpl, when tmpl holds only text, fields of text,
// integer or boolean columns, and {{if}} / {{else}} over fields, possibly
// joined with and, or and not. A field that names no column, or a NULL
// value, renders as empty text, as in the template function. ok is false
// for any other template, which then goes through stance_remediation.
func remediationSQL(tmpl *template.Template, cols map[string]string) (expr string, ok bool) {
	if tmpl == nil || tmpl.Tree == nil || tmpl.Tree.Root == nil {
		return "", false
	}
	return listSQL(tmpl.Tree.Root, cols)
}

func listSQL(l *parse.ListNode, cols map[string]string) (string, bool) {
	if l == nil {
		return "''", true
	}
	var parts []string
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			if len(n.Text) > 0 {
				parts = append(parts, sqlLiteral(string(n.Text)))
			}
		case *parse.ActionNode:
			field := singleField(n.Pipe)
			if field == "" {
				return "", false
			}
			typ, known := cols[field]
			if !known {
				continue
			}
			printed, ok := printSQL(field, typ)
			if !ok {
				return "", false
			}
			parts = append(parts, printed)
		case *parse.IfNode:
			cond, ok := truthSQL(n.Pipe, cols)
			if !ok {
				return "", false
			}
			then, ok := listSQL(n.List, cols)
			if !ok {
				return "", false
			}
			otherwise, ok := listSQL(n.ElseList, cols)
			if !ok {
				return "", false
			}
			parts = append(parts, fmt.Sprintf("(CASE WHEN %s THEN %s ELSE %s END)", cond, then, otherwise))
		default:
			return "", false
		}
	}
	if len(parts) == 0 {
		return "''", true
	}
	return strings.Join(parts, " || "), true
}

// printSQL returns how text/template prints a column of type typ, or false
// when SQL would print it differently (floats, times, lists, structs).
func printSQL(field, typ string) (string, bool) {
	col := "q." + quoteIdent(field)
	switch {
	case typ == "VARCHAR":
		return "coalesce(" + col + ", '')", true
	case typ == "BOOLEAN":
		return "coalesce(CAST(" + col + " AS VARCHAR), '')", true
	case integerTypes[typ]:
		return "coalesce(CAST(" + col + " AS VARCHAR), '')", true
	}
	return "", false
}

var integerTypes = map[string]bool{
	"TINYINT": true, "SMALLINT": true, "INTEGER": true, "BIGINT": true, "HUGEINT": true,
	"UTINYINT": true, "USMALLINT": true, "UINTEGER": true, "UBIGINT": true, "UHUGEINT": true,
}

// truthSQL returns the condition under which text/template takes the
// {{if}} branch of pipe: a field that is not empty, false, zero or NULL,
// or and, or and not over such fields.
func truthSQL(pipe *parse.PipeNode, cols map[string]string) (string, bool) {
	if field := singleField(pipe); field != "" {
		return fieldTruth(field, cols)
	}
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 1 || len(pipe.Cmds[0].Args) < 2 {
		return "", false
	}
	args := pipe.Cmds[0].Args
	fn, ok := args[0].(*parse.IdentifierNode)
	if !ok {
		return "", false
	}
	var conds []string
	for _, a := range args[1:] {
		f, ok := a.(*parse.FieldNode)
		if !ok || len(f.Ident) != 1 {
			return "", false
		}
		c, ok := fieldTruth(f.Ident[0], cols)
		if !ok {
			return "", false
		}
		conds = append(conds, c)
	}
	switch {
	case fn.Ident == "and":
		return "(" + strings.Join(conds, " AND ") + ")", true
	case fn.Ident == "or":
		return "(" + strings.Join(conds, " OR ") + ")", true
	case fn.Ident == "not" && len(conds) == 1:
		return "(NOT " + conds[0] + ")", true
	}
	return "", false
}

func fieldTruth(field string, cols map[string]string) (string, bool) {
	typ, known := cols[field]
	if !known {
		return "false", true
	}
	col := "q." + quoteIdent(field)
	switch {
	case typ == "VARCHAR":
		return "coalesce(" + col + " <> '', false)", true
	case typ == "BOOLEAN":
		return "coalesce(" + col + ", false)", true
	case integerTypes[typ] || typ == "DOUBLE" || typ == "FLOAT" || strings.HasPrefix(typ, "DECIMAL"):
		return "coalesce(" + col + " <> 0, false)", true
	case strings.HasSuffix(typ, "[]"):
		return "coalesce(len(" + col + ") > 0, false)", true
	}
	return "", false
}

// singleField returns the column name of a pipe that is one field, such
// as {{.bucket}}, or "".
func singleField(p *parse.PipeNode) string {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return ""
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
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
func remediationExpr(c *Control, cols map[string]string) (string, error) {
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
