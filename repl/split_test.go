package repl

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
		rest string
	}{
		{"one statement", "SELECT 1;", []string{"SELECT 1"}, ""},
		{"two on one line", "SELECT 1; SELECT 2;", []string{"SELECT 1", "SELECT 2"}, ""},
		{"no semicolon yet", "SELECT 1", nil, "SELECT 1"},
		{"text after the last", "SELECT 1;\nSELECT", []string{"SELECT 1"}, "\nSELECT"},
		{"across lines", "SELECT name\nFROM t\nWHERE x = 1;", []string{"SELECT name\nFROM t\nWHERE x = 1"}, ""},
		{"semicolon in string", "SELECT 'a;b';", []string{"SELECT 'a;b'"}, ""},
		{"doubled quote in string", "SELECT 'it''s; fine';", []string{"SELECT 'it''s; fine'"}, ""},
		{"open string", "SELECT 'a;", nil, "SELECT 'a;"},
		{"escape string", `SELECT E'a\';b';`, []string{`SELECT E'a\';b'`}, ""},
		{"backslash in plain string", `SELECT 'a\'; SELECT 2;`, []string{`SELECT 'a\'`, "SELECT 2"}, ""},
		{"quoted identifier", `SELECT 1 AS "a;b";`, []string{`SELECT 1 AS "a;b"`}, ""},
		{"doubled quote in identifier", `SELECT 1 AS "a"";b";`, []string{`SELECT 1 AS "a"";b"`}, ""},
		{"open identifier", `SELECT "a;`, nil, `SELECT "a;`},
		{"line comment", "SELECT 1 -- not; the end\n;", []string{"SELECT 1 -- not; the end"}, ""},
		{"line comment at end", "SELECT 1; -- done;", []string{"SELECT 1"}, " -- done;"},
		{"block comment", "SELECT /* ; */ 1;", []string{"SELECT /* ; */ 1"}, ""},
		{"nested block comment", "SELECT /* a /* ; */ ; */ 1;", []string{"SELECT /* a /* ; */ ; */ 1"}, ""},
		{"open block comment", "SELECT 1 /* ;", nil, "SELECT 1 /* ;"},
		{"dollar quote", "SELECT $$a;b$$;", []string{"SELECT $$a;b$$"}, ""},
		{"tagged dollar quote", "SELECT $x$a;$$;b$x$;", []string{"SELECT $x$a;$$;b$x$"}, ""},
		{"parameter is not a quote", "SELECT $1; SELECT 2;", []string{"SELECT $1", "SELECT 2"}, ""},
		{"empty statements skipped", ";; SELECT 1;;", []string{"SELECT 1"}, ""},
		{"comment only statement skipped", "-- note\n; SELECT 1;", []string{"SELECT 1"}, ""},
		{"quote in comment", "SELECT 1 -- it's\n;", []string{"SELECT 1 -- it's"}, ""},
		{"comment marker in string", "SELECT '--';", []string{"SELECT '--'"}, ""},
		{"unicode identifier", "SELECT größe; SELECT 2;", []string{"SELECT größe", "SELECT 2"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, rest := Split(tt.src)
			var got []string
			for _, s := range stmts {
				got = append(got, s.SQL)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("statements %q, want %q", got, tt.want)
			}
			if rest != tt.rest {
				t.Errorf("rest %q, want %q", rest, tt.rest)
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	stmts, _ := Split("SELECT 1;\n\n  -- two\n  SELECT\n 2; SELECT 3;")
	var lines []int
	for _, s := range stmts {
		lines = append(lines, s.Line)
	}
	if want := []int{1, 3, 5}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"SELECT 1;", true},
		{"SELECT 1;  ", true},
		{"SELECT 1; -- done", true},
		{";", true},
		{"SELECT 1", false},
		{"SELECT ';'", false},
		{"SELECT 1; SELECT 2", false},
		{"SELECT 1; /* open", false},
		{`SELECT "x;`, false},
		{"SELECT $$;", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Complete(tt.src); got != tt.want {
			t.Errorf("Complete(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestUnterminated(t *testing.T) {
	tests := []struct{ src, want string }{
		{"SELECT 1", ""},
		{"SELECT 'a", "string"},
		{`SELECT "a`, "quoted identifier"},
		{"SELECT 1 /* a", "comment"},
		{"SELECT $$a", "string"},
		{"SELECT 1 -- a", ""},
	}
	for _, tt := range tests {
		if got := unterminated(tt.src); got != tt.want {
			t.Errorf("unterminated(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
