package cli

import (
	"slices"
	"strings"
	"testing"
)

func TestFindingsSelectorProviders(t *testing.T) {
	sel, err := findingsSelector("", []string{"aws"})
	if err != nil {
		t.Fatalf("provider aws: %v", err)
	}
	if !slices.Contains(sel.Benchmarks, "cis_aws") {
		t.Errorf("provider aws: got benchmarks %v, want cis_aws among them", sel.Benchmarks)
	}
	if slices.Contains(sel.Benchmarks, "cis_gcp") {
		t.Errorf("provider aws: got benchmarks %v, want no cis_gcp", sel.Benchmarks)
	}

	_, err = findingsSelector("", []string{"nosuch"})
	if err == nil {
		t.Fatal("provider nosuch: got no error, want one listing the valid providers")
	}
	for _, want := range []string{`"nosuch"`, "aws", "azure", "gcp"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("provider nosuch: got %q, want it to contain %s", err, want)
		}
	}
}

func TestFindingsSelectorBenchmark(t *testing.T) {
	tests := []struct {
		value, name, version string
		wantErr              bool
	}{
		{"cis_aws", "cis_aws", "", false},
		{"cis_aws@6.0.0", "cis_aws", "6.0.0", false},
		{"cis_aws@", "", "", true},
		{"@6.0.0", "", "", true},
	}
	for _, tt := range tests {
		sel, err := findingsSelector(tt.value, nil)
		if tt.wantErr {
			if err == nil {
				t.Errorf("%q: got no error, want one", tt.value)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.value, err)
			continue
		}
		if sel.Benchmark != tt.name || sel.Version != tt.version {
			t.Errorf("%q: got %s and %q, want %s and %q", tt.value, sel.Benchmark, sel.Version, tt.name, tt.version)
		}
	}
}

func TestFindingsSelectorBenchmarkOfOtherProvider(t *testing.T) {
	_, err := findingsSelector("cis_gcp", []string{"aws"})
	if err == nil || !strings.Contains(err.Error(), "cis_gcp is not a benchmark of --provider aws") {
		t.Errorf("got error %v, want one naming cis_gcp and aws", err)
	}
}

// TestDriftFindingsDemo runs drift --findings over the demo database as a
// user would, and expects the cis_aws report of the incident and errors
// that name the bad value.
func TestDriftFindingsDemo(t *testing.T) {
	db := demoDatabase(t)

	code, out, errOut := stance(t, "", "drift", "--db", db, "--findings")
	if code != ExitOK {
		t.Fatalf("drift --findings: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "Findings drift of cis_aws 6.0.0 from check run") {
		t.Errorf("drift --findings: got\n%s\nwant a cis_aws 6.0.0 report", out)
	}
	if !strings.Contains(out, "aws_s3_bucket_public_access_blocked") {
		t.Errorf("drift --findings: got\n%s\nwant the public bucket finding of the incident", out)
	}

	code, out, errOut = stance(t, "", "drift", "--db", db, "--findings", "--provider", "aws", "--format", "csv")
	if code != ExitOK {
		t.Fatalf("drift --findings --provider aws: exit %d\n%s", code, errOut)
	}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.Contains(line, ",cis_aws,6.0.0,") {
			t.Errorf("drift --findings --provider aws: row %d is %q, want cis_aws 6.0.0 only", i+1, line)
		}
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown provider", []string{"--provider", "nosuch"}, `invalid --provider "nosuch": no benchmark covers it; use one of aws, azure, gcp`},
		{"from before every run", []string{"--from", "2020-01-01"}, "no check run is at or before 2020-01-01T00:00:00Z: the earliest is run"},
		{"resource filter", []string{"--table", "aws_s3_bucket"}, "--table applies to resource drift, not to --findings"},
		{"unknown version", []string{"--benchmark", "cis_aws@0.1"}, "no check run of benchmark cis_aws@0.1"},
	}
	for _, tt := range tests {
		args := append([]string{"drift", "--db", db, "--findings"}, tt.args...)
		code, _, errOut := stance(t, "", args...)
		if code == ExitOK {
			t.Errorf("%s: got exit 0, want an error", tt.name)
			continue
		}
		if !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: got error %q, want it to contain %q", tt.name, errOut, tt.want)
		}
	}
}
