package repl

import (
	"strings"
	"testing"
)

func testCatalog() *catalog {
	return &catalog{
		tables: []tableInfo{
			{schema: "main", name: "aws_s3_bucket", description: "S3 buckets"},
			{schema: "main", name: "aws_iam_user", description: "IAM users"},
			{schema: "history", name: "aws_s3_bucket", description: "S3 buckets"},
		},
		columns: map[string][]columnInfo{
			"aws_s3_bucket":         {{name: "name", dataType: "VARCHAR"}, {name: "region", dataType: "VARCHAR"}, {name: "policy_status_is_public", dataType: "BOOLEAN", description: "public by policy"}},
			"aws_iam_user":          {{name: "user_name", dataType: "VARCHAR"}, {name: "arn", dataType: "VARCHAR"}},
			"history.aws_s3_bucket": {{name: "name", dataType: "VARCHAR"}, {name: "_valid_from", dataType: "TIMESTAMP WITH TIME ZONE"}},
		},
		keywords:  []string{"select", "from", "where", "order", "or"},
		functions: []Candidate{{Value: "count", Group: "functions"}, {Value: "regexp_matches", Group: "functions"}},
		checks:    []Candidate{{Value: "cis_aws@6.0.0", Group: "benchmarks"}, {Value: "aws_s3_bucket_public_access_blocked", Group: "controls"}},
	}
}

func values(cands []Candidate) string {
	var v []string
	for _, c := range cands {
		v = append(v, c.Value)
	}
	return strings.Join(v, " ")
}

func TestCompleteSQL(t *testing.T) {
	tests := []struct {
		name   string
		line   string // | marks the cursor; without it the cursor is at the end
		prefix string
		want   string
	}{
		{"table after FROM", "SELECT * FROM aws_s3", "aws_s3", "aws_s3_bucket"},
		{"table after JOIN", "SELECT * FROM aws_s3_bucket b JOIN aws_i", "aws_i", "aws_iam_user"},
		{"table after comma in FROM", "SELECT * FROM aws_s3_bucket, aws_", "aws_", "aws_s3_bucket aws_iam_user"},
		{"schemas offered with tables", "SELECT * FROM ", "", "aws_s3_bucket aws_iam_user history."},
		{"table in a schema", "SELECT * FROM history.aws", "aws", "aws_s3_bucket"},
		{"column through alias", "SELECT b.pol| FROM aws_s3_bucket b", "pol", "policy_status_is_public"},
		{"column through AS alias", "SELECT u.| FROM aws_iam_user AS u", "", "user_name arn"},
		{"alias defined later in the line", "SELECT x.re| FROM aws_s3_bucket x WHERE true", "re", "region"},
		{"column through table name", "SELECT aws_iam_user.ar| FROM aws_iam_user", "ar", "arn"},
		{"column of a history table", "SELECT h._v| FROM history.aws_s3_bucket h", "_v", "_valid_from"},
		{"columns of the statement", "SELECT re| FROM aws_s3_bucket", "re", "region regexp_matches"},
		{"all columns on empty prefix", "SELECT | FROM aws_iam_user", "", "user_name arn"},
		{"keyword in lower case", "SELECT 1 fr", "fr", "from"},
		{"keyword in upper case", "SELECT 1 WH", "WH", "WHERE"},
		{"keywords after a table, no columns", "SELECT * FROM aws_s3_bucket o", "o", "order or"},
		{"no completion in a comment", "SELECT 1 -- aws_s3", "", ""},
		{"no completion in a quoted identifier", `SELECT "aws_s3`, "", ""},
		{"control id in a string", "SELECT * FROM stance_finding WHERE control_id = 'aws_s3", "aws_s3", "aws_s3_bucket_public_access_blocked"},
		{"second statement", "SELECT 1; SELECT * FROM aws_iam", "aws_iam", "aws_iam_user"},
		{"statement around the cursor only", "SELECT * FROM aws_s3_bucket b; SELECT b.| FROM aws_iam_user b", "", "user_name arn"},
		{"quoted table alias", `SELECT "B".reg| FROM aws_s3_bucket "B"`, "reg", "region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, cursor := tt.line, len(tt.line)
			if i := strings.Index(line, "|"); i >= 0 {
				line, cursor = line[:i]+line[i+1:], i
			}
			prefix, cands := testCatalog().completeSQL(line, cursor)
			if prefix != tt.prefix {
				t.Errorf("prefix %q, want %q", prefix, tt.prefix)
			}
			got := values(cands)
			if tt.want == "" && got != "" {
				t.Errorf("candidates %q, want none", got)
			}
			if tt.want != "" && !strings.HasPrefix(got, tt.want) {
				t.Errorf("candidates %q, want them to start with %q", got, tt.want)
			}
		})
	}
}

func TestCompleteColumnDescription(t *testing.T) {
	_, cands := testCatalog().completeSQL("SELECT b.policy FROM aws_s3_bucket b", len("SELECT b.policy"))
	if len(cands) != 1 {
		t.Fatalf("candidates %q, want one", values(cands))
	}
	if want := "BOOLEAN · public by policy"; cands[0].Description != want {
		t.Errorf("description %q, want %q", cands[0].Description, want)
	}
}

func TestCompleteDot(t *testing.T) {
	tests := []struct {
		line   string
		prefix string
		want   string
	}{
		{".ti", ".ti", ".timer"},
		{".mode j", "j", "json jsonl"},
		{".mode ", "", "table line csv json jsonl markdown"},
		{".timer o", "o", "on off"},
		{".schema aws_i", "aws_i", "aws_iam_user"},
		{".schema history.", "history.", "history.aws_s3_bucket"},
		{".check cis", "cis", "cis_aws@6.0.0"},
		{".check cis_aws@6.0.0 aws_s3_b", "aws_s3_b", "aws_s3_bucket_public_access_blocked"},
		{".drift --ta", "--ta", "--table --tag"},
		{".at n", "n", "now"},
	}
	for _, tt := range tests {
		prefix, cands := completeDot(testCatalog(), tt.line)
		if prefix != tt.prefix {
			t.Errorf("%q: prefix %q, want %q", tt.line, prefix, tt.prefix)
		}
		if got := values(cands); got != tt.want {
			t.Errorf("%q: candidates %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{".drift --from 7d --table aws_s3_bucket", []string{".drift", "--from", "7d", "--table", "aws_s3_bucket"}},
		{`.output "my results.csv"`, []string{".output", "my results.csv"}},
		{".at '2026-03-01 12:00'", []string{".at", "2026-03-01 12:00"}},
		{".once ''", []string{".once", ""}},
		{"  .mode   csv  ", []string{".mode", "csv"}},
	}
	for _, tt := range tests {
		got, err := splitArgs(tt.line)
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%q: got %q, want %q", tt.line, got, tt.want)
		}
	}
	if _, err := splitArgs(`.output "open`); err == nil {
		t.Error("unterminated quote accepted")
	}
}
