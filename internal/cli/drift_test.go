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
