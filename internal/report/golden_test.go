package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stance-cspm/stance/benchmarks"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestWriteGolden compares every format with its golden file. Run
// "go test ./internal/report -run TestWriteGolden -update" after a
// deliberate change, and review the diff.
func TestWriteGolden(t *testing.T) {
	tests := []struct {
		file   string
		format string
		run    func() *benchmarks.Run
		opts   Options
	}{
		{"report.txt", "table", fixtureRun, Options{}},
		{"report_color.txt", "table", fixtureRun, Options{Color: true, MaxRows: 1}},
		{"report.json", "json", fixtureRun, Options{}},
		{"report.csv", "csv", fixtureRun, Options{}},
		{"report.md", "markdown", fixtureRun, Options{}},
		{"report.junit.xml", "junit", fixtureRun, Options{}},
		{"report.ocsf.json", "ocsf", fixtureRun, Options{Version: "1.2.3"}},
		{"report_pass.ocsf.json", "ocsf", fixtureRun, Options{Version: "1.2.3", IncludePass: true}},
		{"direct.txt", "table", directRun, Options{}},
		{"direct.junit.xml", "junit", directRun, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, tt.format, tt.run(), tt.opts); err != nil {
				t.Fatalf("Write(%q) returned %v", tt.format, err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden file: %v (run with -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s output differs from %s (run with -update to accept it)\ngot:\n%s", tt.format, path, b.String())
			}
		})
	}
}
