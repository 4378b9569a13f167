package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// TestPassesAreCountedNotStored runs a control without and with
// Options.Passes: both runs count the same passes, and only the second
// stores a row for each.
func TestPassesAreCountedNotStored(t *testing.T) {
	const control = "aws_ec2_instance_imdsv2_required"
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := loadBuiltin(t)
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))

	var runs []*Run
	for _, passes := range []bool{false, true} {
		run, err := Execute(ctx, st, p, nil, []*Control{p.Controls[control]}, Filters{},
			Options{Logger: quiet, Passes: passes, Now: func() time.Time { return time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	counted, stored := runs[0].Outcomes[0].Counts, runs[1].Outcomes[0].Counts
	if counted[StatusPass] == 0 || counted[StatusFail] == 0 {
		t.Fatalf("counts %v: the demo estate has passing and failing instances", counted)
	}
	if fmt.Sprint(counted) != fmt.Sprint(stored) {
		t.Errorf("counts differ: %v without passes stored, %v with them", counted, stored)
	}
	for i, run := range runs {
		var rows, passRows, countedPasses int
		err := st.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE status = 'pass') FROM stance_check_result WHERE run_id = ?`, run.ID).Scan(&rows, &passRows)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.DB().QueryRow(`SELECT passed FROM stance_check_control WHERE run_id = ? AND control_id = ?`, run.ID, control).Scan(&countedPasses); err != nil {
			t.Fatal(err)
		}
		wantPassRows := 0
		if i == 1 {
			wantPassRows = counted[StatusPass]
		}
		if passRows != wantPassRows {
			t.Errorf("run %d: %d pass rows stored, want %d", run.ID, passRows, wantPassRows)
		}
		if rows-passRows != counted[StatusFail]+counted[StatusSkip]+counted[StatusError] {
			t.Errorf("run %d: %d other rows stored, want every fail, skip and error of %v", run.ID, rows-passRows, counted)
		}
		if countedPasses != counted[StatusPass] {
			t.Errorf("run %d: stance_check_control counts %d passes, want %d", run.ID, countedPasses, counted[StatusPass])
		}
		for _, r := range run.Outcomes[0].Results {
			if r.Status == StatusPass && i == 0 {
				t.Errorf("run %d read back a pass it did not store: %+v", run.ID, r)
			}
		}
	}
	// The scratch tables of both runs are gone.
	var scratch int
	if err := st.DB().QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE database_name = ?`, scratchDB).Scan(&scratch); err != nil {
		t.Fatal(err)
	}
	if scratch != 0 {
		t.Errorf("%d scratch tables left after the runs", scratch)
	}
}

// TestInterruptedCheckStoresNothing cancels a check before it is saved:
// no run, result or finding may be left.
func TestInterruptedCheckStoresNothing(t *testing.T) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := loadBuiltin(t)
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	if err := ensureSchema(context.Background(), st.DB(), p); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b, err := p.Benchmark("cis_aws@6.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, st, p, b, nil, Filters{}, Options{Logger: quiet}); err == nil {
		t.Fatal("a cancelled check returned no error")
	}
	for _, table := range []string{"stance_check_run", "stance_check_result", "stance_finding", "stance_check_control"} {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s holds %d rows after a cancelled check, want 0", table, n)
		}
	}
}

// TestRemediationInSQLMatchesTemplate renders every remediation template
// of the built-in packs twice: with text/template over a map, as a reader
// of the YAML expects, and in DuckDB through remediationExpr, as the
// runner does. Templates of plain fields become SQL; the others go
// through the stance_remediation function.
func TestRemediationInSQLMatchesTemplate(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := registerRemediation(ctx, st.DB()); err != nil {
		t.Fatal(err)
	}
	conn, err := st.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	p := loadBuiltin(t)
	rows := []struct {
		name  string
		value func(field string) (sqlValue string, goValue any)
	}{
		{"text", func(f string) (string, any) { return sqlLiteral("v-" + f), "v-" + f }},
		{"false and zero", func(f string) (string, any) {
			if strings.HasPrefix(f, "has_") || strings.HasSuffix(f, "_absent") || strings.HasPrefix(f, "allow_") || strings.HasPrefix(f, "require_") || f == "hard_expiry" {
				return "false", false
			}
			return "0", int64(0)
		}},
		{"null", func(f string) (string, any) { return "NULL::VARCHAR", "" }},
	}
	checked, functions := 0, 0
	for _, c := range p.Controls {
		if c.RemediationCommand == "" {
			continue
		}
		tmpl, err := template.New(c.ID).Option("missingkey=zero").Parse(c.RemediationCommand)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		fields := templateFields(tmpl.Tree.Root)
		for _, row := range rows {
			var cols, names []string
			values := map[string]any{}
			for _, f := range fields {
				v, gv := row.value(f)
				cols = append(cols, v+" AS "+quoteIdent(f))
				names = append(names, f)
				values[f] = gv
			}
			if len(cols) == 0 {
				cols = []string{"1 AS one"}
			}
			// A list for {{range}}.
			for i, f := range names {
				if !strings.HasSuffix(f, "_numbers") {
					continue
				}
				switch row.name {
				case "text":
					cols[i] = "[100, 200] AS " + quoteIdent(f)
					values[f] = []any{int64(100), int64(200)}
				case "false and zero":
					cols[i] = "[]::INTEGER[] AS " + quoteIdent(f)
					values[f] = []any{}
				}
			}
			types, err := queryColumns(ctx, conn, "SELECT "+strings.Join(cols, ", "))
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			expr, err := remediationExpr(c, types)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			if strings.Contains(expr, remediationFunc) {
				functions++
			}
			var got *string
			q := "SELECT " + expr + " FROM (SELECT " + strings.Join(cols, ", ") + ") q"
			if err := conn.QueryRowContext(ctx, q).Scan(&got); err != nil {
				t.Fatalf("%s (%s row): %v\n%s", c.ID, row.name, err, q)
			}
			// A template that fails, such as a range over a NULL list,
			// gives no command.
			var want bytes.Buffer
			if err := tmpl.Execute(&want, values); err != nil {
				want.Reset()
			}
			gotText := ""
			if got != nil {
				gotText = *got
			}
			if gotText != want.String() {
				t.Errorf("%s (%s row):\n got %q\nwant %q", c.ID, row.name, gotText, want.String())
			}
			checked++
		}
	}
	if checked == 0 || functions == 0 {
		t.Fatalf("checked %d renderings, %d through the function: want both paths covered", checked, functions)
	}
}

// templateFields returns the names of the fields that a template reads.
func templateFields(n parse.Node) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			if !seen[n.Ident[0]] {
				seen[n.Ident[0]] = true
				out = append(out, n.Ident[0])
			}
		case *parse.VariableNode:
			if len(n.Ident) > 1 && !seen[n.Ident[1]] {
				seen[n.Ident[1]] = true
				out = append(out, n.Ident[1])
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(n)
	return out
}
