package benchmarks

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// world is a copy of the demo estate that a test can change between syncs.
type world struct {
	files fstest.MapFS
	root  string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	fsys, root := demo.World()
	w := &world{files: fstest.MapFS{}, root: root}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		w.files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// replace changes the first occurrence of old in one file of the world.
func (w *world) replace(t *testing.T, file, old, new string) {
	t.Helper()
	f := w.files[w.root+"/"+file]
	if f == nil || !strings.Contains(string(f.Data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
}

func (w *world) sync(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	p, err := syncaws.NewOfflineFS(w.files, w.root, "test world")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sync.Run(context.Background(), st, p, sync.Options{Now: func() time.Time { return now }, Logger: quiet}); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, st *store.Store, p *Pack, now time.Time, ids ...string) *Run {
	t.Helper()
	var controls []*Control
	for _, id := range ids {
		c, ok := p.Controls[id]
		if !ok {
			t.Fatalf("no control %s", id)
		}
		controls = append(controls, c)
	}
	run, err := Execute(context.Background(), st, p, nil, controls, Filters{}, Options{Now: func() time.Time { return now }, Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

type finding struct {
	Status      string
	FirstSeen   time.Time
	ResolvedAt  *time.Time
	ReopenCount int
}

func getFinding(t *testing.T, st *store.Store, control, resourceLike string) finding {
	t.Helper()
	var f finding
	err := st.DB().QueryRow(`SELECT status, first_seen, resolved_at, reopen_count FROM stance_finding
		WHERE control_id = ? AND resource LIKE ?`, control, resourceLike).Scan(&f.Status, &f.FirstSeen, &f.ResolvedAt, &f.ReopenCount)
	if err != nil {
		t.Fatalf("finding %s on %s: %v", control, resourceLike, err)
	}
	return f
}

func loadBuiltin(t *testing.T) *Pack {
	t.Helper()
	p, err := Load(Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFindingLifecycle fixes a failing instance, breaks it again and
// suppresses it, and follows its finding through open, resolved, reopened,
// suppressed and, after the suppression expires, open again.
func TestFindingLifecycle(t *testing.T) {
	const control = "aws_ec2_instance_imdsv2_required"
	const instanceFile = "prod/us-east-1/ec2-describe-instances.json"
	const resource = "%instance/i-0a1b2c3d4e5f60718"
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := loadBuiltin(t)
	w := newWorld(t)
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

	w.sync(t, st, t0)
	check(t, st, p, t0.Add(time.Minute), control)
	first := getFinding(t, st, control, resource)
	if first.Status != "open" {
		t.Fatalf("status after the first check: got %s, want open", first.Status)
	}

	w.replace(t, instanceFile, `"HttpTokens": "optional"`, `"HttpTokens": "required"`)
	w.sync(t, st, t0.Add(time.Hour))
	check(t, st, p, t0.Add(time.Hour+time.Minute), control)
	fixed := getFinding(t, st, control, resource)
	if fixed.Status != "resolved" || fixed.ResolvedAt == nil {
		t.Fatalf("after the fix: got %+v, want resolved with a time", fixed)
	}
	if !fixed.FirstSeen.Equal(first.FirstSeen) {
		t.Errorf("first seen changed from %s to %s", first.FirstSeen, fixed.FirstSeen)
	}

	w.replace(t, instanceFile, `"HttpTokens": "required"`, `"HttpTokens": "optional"`)
	w.sync(t, st, t0.Add(2*time.Hour))
	check(t, st, p, t0.Add(2*time.Hour+time.Minute), control)
	again := getFinding(t, st, control, resource)
	if again.Status != "open" || again.ReopenCount != 1 || again.ResolvedAt != nil {
		t.Fatalf("after breaking it again: got %+v, want open, reopened once", again)
	}
	if !again.FirstSeen.Equal(first.FirstSeen) {
		t.Errorf("first seen changed from %s to %s on reopening", first.FirstSeen, again.FirstSeen)
	}

	expiry := t0.Add(4 * time.Hour)
	if _, err := AddSuppression(context.Background(), st.DB(), Suppression{
		Control: control, Resource: "*i-0a1b2c3d4e5f60718", Reason: "legacy app, migration planned", Author: "alice",
		ExpiresAt: expiry, CreatedAt: t0.Add(2 * time.Hour),
	}); err != nil {
		t.Fatal(err)
	}
	run := check(t, st, p, t0.Add(3*time.Hour), control)
	if got := getFinding(t, st, control, resource).Status; got != "suppressed" {
		t.Errorf("with an active suppression: got %s, want suppressed", got)
	}
	suppressed := 0
	for _, r := range run.Outcomes[0].Results {
		if r.Suppressed {
			suppressed++
			if !strings.Contains(r.SuppressionReason, "alice") {
				t.Errorf("suppression reason %q does not name the author", r.SuppressionReason)
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("suppressed results: got %d, want 1 (reported, not dropped)", suppressed)
	}

	check(t, st, p, expiry.Add(time.Minute), control)
	if got := getFinding(t, st, control, resource).Status; got != "open" {
		t.Errorf("after the suppression expired: got %s, want open", got)
	}
}

// TestBlindSpotIsNotAPass checks that a region the sync could not read is
// reported as not evaluated for that account and region.
func TestBlindSpotIsNotAPass(t *testing.T) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := loadBuiltin(t)
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	run := check(t, st, p, time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), "aws_ec2_instance_imdsv2_required")
	var skips []Result
	for _, r := range run.Outcomes[0].Results {
		if r.Status == StatusSkip {
			skips = append(skips, r)
		}
	}
	if len(skips) != 1 {
		t.Fatalf("skipped results: got %d, want 1 for the denied region", len(skips))
	}
	if skips[0].AccountID != demo.DevAccountID || skips[0].Region != demo.DeniedRegion {
		t.Errorf("skip for %s/%s, want %s/%s", skips[0].AccountID, skips[0].Region, demo.DevAccountID, demo.DeniedRegion)
	}
	if !strings.Contains(skips[0].Reason, "AccessDenied") {
		t.Errorf("reason %q does not say why", skips[0].Reason)
	}
}

// TestBrokenControlReportsError runs a user control with bad SQL beside a
// good one: the bad one reports an error, the good one its results.
func TestBrokenControlReportsError(t *testing.T) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	user := fstest.MapFS{
		"controls/aws/acme_broken.yaml": {Data: []byte("id: acme_broken\ntitle: Broken\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_ec2_instance]\n")},
		"controls/aws/acme_broken.sql":  {Data: []byte("SELECT * FROM aws_no_such_table")},
	}
	p, err := Load(Builtin(), user)
	if err != nil {
		t.Fatal(err)
	}
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	run := check(t, st, p, time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), "acme_broken", "aws_ec2_instance_imdsv2_required")
	broken, good := run.Outcomes[0], run.Outcomes[1]
	if broken.Err == nil || len(broken.Results) != 1 || broken.Results[0].Status != StatusError {
		t.Fatalf("broken control: got %+v, want one error result", broken.Results)
	}
	if !strings.Contains(broken.Results[0].Reason, "aws_no_such_table") {
		t.Errorf("error reason %q does not name the missing table", broken.Results[0].Reason)
	}
	if good.Err != nil || len(good.Results) == 0 {
		t.Errorf("good control: err %v, %d results, want results", good.Err, len(good.Results))
	}
}

// TestExamplePack loads the worked example of a user pack from the docs,
// as --pack-dir does, and runs its benchmark over the demo estate.
func TestExamplePack(t *testing.T) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := Load(Builtin(), os.DirFS("../docs/examples/packs/acme"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Benchmark("acme_baseline")
	if err != nil {
		t.Fatal(err)
	}
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	run, err := Execute(context.Background(), st, p, b, nil, Filters{}, Options{Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Manual) != 1 || run.Manual[0].ID != "E-2" {
		t.Errorf("manual requirements: got %+v, want E-2", run.Manual)
	}
	for _, o := range run.Outcomes {
		if o.Err != nil {
			t.Errorf("control %s: %v", o.Control.ID, o.Err)
		}
		fails := 0
		for _, r := range o.Results {
			if r.Status == StatusFail {
				fails++
			}
		}
		if fails == 0 {
			t.Errorf("control %s: no failure on the demo estate, want some", o.Control.ID)
		}
	}
}

func TestLoadReportsFileAndLine(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string
	}{
		{"unknown field", fstest.MapFS{
			"controls/aws/x_a.yaml": {Data: []byte("id: x_a\ntitle: A\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_ec2_instance]\nsevrity: high\n")},
			"controls/aws/x_a.sql":  {Data: []byte("SELECT 1")},
		}, "controls/aws/x_a.yaml: [7:1] unknown field \"sevrity\""},
		{"bad severity", fstest.MapFS{
			"controls/aws/x_a.yaml": {Data: []byte("id: x_a\ntitle: A\nseverity: urgent\ndescription: d\nremediation: r\ntables: [aws_ec2_instance]\n")},
			"controls/aws/x_a.sql":  {Data: []byte("SELECT 1")},
		}, "controls/aws/x_a.yaml:3: invalid severity \"urgent\""},
		{"missing sql", fstest.MapFS{
			"controls/aws/x_a.yaml": {Data: []byte("id: x_a\ntitle: A\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_ec2_instance]\n")},
		}, "has no query file"},
		{"unknown table", fstest.MapFS{
			"controls/aws/x_a.yaml": {Data: []byte("id: x_a\ntitle: A\nseverity: low\ndescription: d\nremediation: r\ntables: [aws_ec2_instances]\n")},
			"controls/aws/x_a.sql":  {Data: []byte("SELECT 1")},
		}, "controls/aws/x_a.yaml:6: control x_a reads table \"aws_ec2_instances\", which stance does not define"},
		{"unknown control", fstest.MapFS{
			"x/1.0/benchmark.yaml": {Data: []byte("benchmark: x\nversion: \"1.0\"\nrevision: 1\nrequirements:\n  - id: \"1\"\n    title: T\n    assessment: automated\n    controls: [nope]\n")},
		}, "names control \"nope\", which no pack defines"},
		{"duplicate requirement", fstest.MapFS{
			"x/1.0/benchmark.yaml": {Data: []byte("benchmark: x\nversion: \"1.0\"\nrevision: 1\nrequirements:\n  - id: \"1\"\n    title: T\n    assessment: manual\n  - id: \"1\"\n    title: U\n    assessment: manual\n")},
		}, "x/1.0/benchmark.yaml:5: requirement 1 is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestOutcomeDuration(t *testing.T) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	newWorld(t).sync(t, st, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	run := check(t, st, loadBuiltin(t), time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC), "aws_ec2_instance_imdsv2_required")
	if d := run.Outcomes[0].Duration; d <= 0 {
		t.Errorf("duration of a control that ran: got %s, want more than 0", d)
	}
}
