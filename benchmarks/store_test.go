package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
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

// TestContractEnforcedInSQL runs a user control whose rows break the
// control contract in each way the runner repairs, with an account
// filter.
func TestContractEnforcedInSQL(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	user := fstest.MapFS{
		"controls/aws/acme_contract.yaml": {Data: []byte("id: acme_contract\ntitle: Contract\nseverity: low\ndescription: d\nremediation: r\n" +
			"remediation_command: \"fix {{.resource}} in {{.region}}\"\ntables: [aws_ec2_instance]\n")},
		"controls/aws/acme_contract.sql": {Data: []byte(`SELECT * FROM (VALUES
			('r1', 'PASS', 'upper-case status', '111', 'us-east-1'),
			('r2', 'bogus', 'odd status', '111', 'us-east-1'),
			('r3', 'fail', NULL, '111', 'us-east-1'),
			('r4', 'fail', '  ', '111', 'us-east-1'),
			(NULL, 'fail', 'no resource', '111', 'eu-west-1'),
			('r6', 'fail', 'other account', '222', 'us-east-1'),
			('r7', 'pass', 'no account', NULL, NULL)
		) t(resource, status, reason, account_id, region);
		-- a trailing comment`)},
	}
	p, err := Load(Builtin(), user)
	if err != nil {
		t.Fatal(err)
	}

	run, err := Execute(ctx, st, p, nil, []*Control{p.Controls["acme_contract"]}, Filters{Accounts: []string{"111"}},
		Options{Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Result{}
	for _, r := range run.Outcomes[0].Results {
		got[r.Resource] = r
	}

	tests := []struct {
		resource, status, reason, command string
	}{
		{"r1", StatusPass, "upper-case status", ""},
		{"r2", StatusError, `control returned invalid status "bogus" (want pass, fail, error, skip or info): odd status`, ""},
		{"r3", StatusFail, "control acme_contract returned fail without a reason", "fix r3 in us-east-1"},
		{"r4", StatusFail, "control acme_contract returned fail without a reason", "fix r4 in us-east-1"},
		{"111/eu-west-1", StatusFail, "no resource", "fix  in eu-west-1"},
		{"r7", StatusPass, "no account", ""},
	}
	for _, tt := range tests {
		r, ok := got[tt.resource]
		if !ok {
			t.Errorf("no result for %s; got %v", tt.resource, got)
			continue
		}
		if r.Status != tt.status || r.Reason != tt.reason || r.RemediationCommand != tt.command {
			t.Errorf("%s: got %s %q %q, want %s %q %q", tt.resource, r.Status, r.Reason, r.RemediationCommand, tt.status, tt.reason, tt.command)
		}
	}

	if _, ok := got["r6"]; ok {
		t.Error("r6 of account 222 is outside --account 111 but was kept")
	}
	if got["r7"].AccountID != "" {
		t.Errorf("r7: account %q, want empty for a NULL account", got["r7"].AccountID)
	}
}

func TestControlBody(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT 1;", "SELECT 1"},
		{"SELECT 1;\n-- done", "SELECT 1"},
		{"SELECT 1;\n\t\t-- indented", "SELECT 1"},
		{"SELECT 1; -- done", "SELECT 1"},
		{"SELECT 1 -- no semicolon", "SELECT 1 -- no semicolon"},
		{"SELECT 1;\n/* done */\n", "SELECT 1"},
		{"-- header\nSELECT '--;' AS x;", "-- header\nSELECT '--;' AS x"},
	}
	for _, tt := range tests {
		if got := controlBody(tt.in); got != "\n"+tt.want+"\n" {
			t.Errorf("controlBody(%q) = %q, want %q", tt.in, got, "\n"+tt.want+"\n")
		}
	}
}

// TestSuppressionPatternInSQL checks that a suppression pattern matches in
// DuckDB exactly as GlobMatch does, with LIKE's own wildcards taken
// literally.
func TestSuppressionPatternInSQL(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct{ pattern, resource string }{
		{"arn:aws:s3:::legacy_*", "arn:aws:s3:::legacy_assets"},
		{"arn:aws:s3:::legacy_*", "arn:aws:s3:::legacyXassets"},
		{"*100%*", "policy-100%-open"},
		{"*100%*", "policy-1000-open"},
		{`path\to\*`, `path\to\thing`},
		{"*", ""},
		{"i-0a1b*", "arn:aws:ec2:us-east-1:1:instance/i-0a1b"},
	}
	for _, tt := range tests {
		var got bool
		if err := st.DB().QueryRowContext(ctx, `SELECT ? LIKE ? ESCAPE '\'`, tt.resource, likePattern(tt.pattern)).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tt.pattern, err)
		}
		if want := GlobMatch(tt.pattern, tt.resource); got != want {
			t.Errorf("pattern %q on %q: LIKE gives %v, GlobMatch %v", tt.pattern, tt.resource, got, want)
		}
	}
}
