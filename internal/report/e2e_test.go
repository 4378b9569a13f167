package report

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
	_ "github.com/stance-cspm/stance/tables/all"
)

// TestWriteRealRun syncs the demo estate offline into an in-memory store,
// runs a built-in control through a small benchmark that also has a manual
// requirement, and checks that every format writes and parses back.
func TestWriteRealRun(t *testing.T) {
	if testing.Short() {
		t.Skip("syncs the demo estate into DuckDB")
	}
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	st, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fsys, root := demo.World()
	provider, err := syncaws.NewOfflineFS(fsys, root, "demo world")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sync.Run(ctx, st, provider, sync.Options{Now: func() time.Time { return now }, Logger: quiet}); err != nil {
		t.Fatal(err)
	}

	pack, err := benchmarks.Load(benchmarks.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	const controlID = "aws_ec2_instance_imdsv2_required"
	bm := &benchmarks.Benchmark{
		Name: "demo_check", Version: "1.0.0", Revision: 1, Title: "Demo check", Provider: "aws",
		Requirements: []benchmarks.Requirement{
			{ID: "1.1", Title: "Keep contact details current", Section: "1 Account", Assessment: "manual"},
			{ID: "2.1", Title: "Require IMDSv2", Section: "2 Compute", Assessment: "automated", Controls: []string{controlID}},
			{ID: "2.2", Title: "Protect instance credentials", Section: "2 Compute", Assessment: "automated", Controls: []string{controlID}},
		},
	}
	pack.Benchmarks = append(pack.Benchmarks, bm)
	run, err := benchmarks.Execute(ctx, st, pack, bm, nil, benchmarks.Filters{},
		benchmarks.Options{Now: func() time.Time { return now.Add(time.Minute) }, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts()[statusFail] == 0 {
		t.Fatalf("got counts %v, want the demo estate to fail %s", run.Counts(), controlID)
	}

	outputs := map[string]string{}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, run, Options{Version: "test"}); err != nil {
			t.Fatalf("Write(%q) returned %v", format, err)
		}
		outputs[format] = b.String()
	}

	var doc jsonReport
	if err := json.Unmarshal([]byte(outputs["json"]), &doc); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
	statuses := map[string]string{}
	for _, r := range doc.Requirements {
		statuses[r.ID] = r.Status
	}
	for id, want := range map[string]string{"1.1": "manual", "2.1": "fail", "2.2": "fail"} {
		if statuses[id] != want {
			t.Errorf("requirement %s: got status %q, want %q", id, statuses[id], want)
		}
	}

	var events []map[string]any
	if err := json.Unmarshal([]byte(outputs["ocsf"]), &events); err != nil {
		t.Fatalf("ocsf output does not parse: %v", err)
	}
	if len(events) != run.Counts()[statusFail]+run.Counts()[statusError] {
		t.Errorf("got %d OCSF events, want one per failing or erroring result (%v)", len(events), run.Counts())
	}

	var junit junitDoc
	if err := xml.Unmarshal([]byte(outputs["junit"]), &junit); err != nil {
		t.Fatalf("junit output does not parse: %v", err)
	}
	if junit.Tests != 3 || junit.Failures != 2 || junit.Skipped != 1 {
		t.Errorf("got tests=%d failures=%d skipped=%d, want 3, 2, 1", junit.Tests, junit.Failures, junit.Skipped)
	}
	if !strings.Contains(outputs["table"], "requirements: 2.1, 2.2") {
		t.Errorf("table does not list both requirements of %s:\n%s", controlID, outputs["table"])
	}
	t.Logf("table report of the demo estate:\n%s", outputs["table"])
}
