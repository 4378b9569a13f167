package cli

import (
	"strings"
	"testing"
)

func TestCheckFilterMatchesNothing(t *testing.T) {
	db := demoDatabase(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown section", []string{"cis_aws@6.0.0", "--section", "99"}, []string{`--section "99"`, "cis_aws@6.0.0", "4 Logging", "3.1 Simple Storage Service (S3)"}},
		{"severity above control", []string{"aws_s3_bucket_public_access_blocked", "--severity", "critical"}, []string{"--severity critical", "high"}},
		{"unknown account", []string{"cis_aws@6.0.0", "--account", "999"}, []string{`--account "999"`, "210987654321"}},
		{"unknown region", []string{"cis_aws@6.0.0", "--region", "mars-1"}, []string{`--region "mars-1"`, "eu-west-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "--db", db}, tt.args...)
			code, _, errOut := stance(t, "", args...)
			if code != ExitError {
				t.Fatalf("exit %d, want %d: %s", code, ExitError, errOut)
			}
			for _, s := range tt.want {
				if !strings.Contains(errOut, s) {
					t.Errorf("error output %q lacks %q", errOut, s)
				}
			}
		})
	}
}

func TestCheckFilterMatchesSomething(t *testing.T) {
	db := demoDatabase(t)
	tests := [][]string{
		{"cis_aws@6.0.0", "--section", "3.1"},
		{"cis_aws@6.0.0", "--section", "2.4"},
		{"cis_aws@6.0.0", "--region", "eu-west-1", "--account", "210987654321"},
		{"aws_s3_bucket_public_access_blocked", "--severity", "high"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, _, errOut := stance(t, "", append([]string{"check", "--db", db}, args...)...)
			if code != ExitOK {
				t.Errorf("exit %d: %s", code, errOut)
			}
		})
	}
}
