package benchmarks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
	_ "github.com/stance-cspm/stance/tables/all"
)

// controlCase is one file of the control case corpus under
// testdata/cases: rows to load into tables, and the status each resource
// must get from the control. Values are written as the table's columns
// take them; a string "now-90d" (or -12h, +30d) is a time relative to the
// test run, for controls that compare ages with now().
type controlCase struct {
	Control string `yaml:"control"`
	// Rows maps a table name to its rows.
	Rows map[string][]map[string]any `yaml:"rows"`
	// BlindSpots lists partitions that the sync could not read, as
	// "table account region".
	BlindSpots []string `yaml:"blind_spots"`
	// Synced lists partitions that the sync read completely and found
	// empty, as "table account region", such as a region without a Config
	// recorder.
	Synced []string `yaml:"synced"`
	// Expect maps a resource (the control's resource column) to its
	// status.
	Expect map[string]string `yaml:"expect"`
	// Absent lists resources that must get no result, such as rows that
	// the control leaves out on purpose.
	Absent []string `yaml:"absent"`
}

var relativeTime = regexp.MustCompile(`^now([+-])(\d+)([dh])$`)

func resolveValue(v any, now time.Time) any {
	switch x := v.(type) {
	case string:
		if m := relativeTime.FindStringSubmatch(x); m != nil {
			n, _ := strconv.Atoi(m[2])
			d := time.Duration(n) * time.Hour
			if m[3] == "d" {
				d *= 24
			}
			if m[1] == "-" {
				d = -d
			}
			return now.Add(d).UTC()
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveValue(e, now)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = resolveValue(e, now)
		}
		return out
	}
	return v
}

// loadCase writes the case's rows into st through the store's real
// staging and merge, and records a successful partition for each account
// and region, and the case's blind spots.
func loadCase(t *testing.T, st *store.Store, c controlCase) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	provider := caseProvider(t, c)
	runID, syncTime, err := st.BeginRun(ctx, provider, "test case "+c.Control, now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.NewWriter(ctx, runID, syncTime)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var parts []store.PartitionRecord
	for _, name := range sortedNames(c.Rows) {
		tbl, ok := tables.Lookup(name)
		if !ok {
			t.Fatalf("case %s: no table %s", c.Control, name)
		}
		byPartition := map[string][]store.Row{}
		targets := map[string]tables.Target{}
		for i, raw := range c.Rows[name] {
			rec := tables.Record{}
			for k, v := range raw {
				rec[k] = resolveValue(v, now)
			}
			account, _ := rec["account_id"].(string)
			region, _ := rec["region"].(string)
			if account == "" || region == "" {
				t.Fatalf("case %s: %s row %d needs account_id and region", c.Control, name, i)
			}
			partRegion := region
			if tbl.Global {
				partRegion = tables.GlobalRegion
			}
			target := tables.Target{Provider: tbl.Provider, AccountID: account, Region: partRegion}
			row, err := tbl.Row(target, rec)
			if err != nil {
				t.Fatalf("case %s: %s row %d: %v", c.Control, name, i, err)
			}
			key := account + "/" + partRegion
			byPartition[key] = append(byPartition[key], row)
			targets[key] = target
		}
		if err := st.EnsureTable(ctx, tbl.Schema()); err != nil {
			t.Fatal(err)
		}
		var done []string
		for key, rows := range byPartition {
			if err := w.Append(ctx, tbl.Schema(), key, rows); err != nil {
				t.Fatal(err)
			}
			done = append(done, key)
			tg := targets[key]
			parts = append(parts, store.PartitionRecord{Provider: tbl.Provider, Table: name, AccountID: tg.AccountID, Region: tg.Region,
				StartedAt: syncTime, FinishedAt: syncTime, Status: store.StatusOK, Rows: int64(len(rows))})
		}
		if _, err := w.Merge(ctx, tbl.Schema(), done); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range c.Synced {
		f := strings.Fields(p)
		if len(f) != 3 {
			t.Fatalf("case %s: synced partition %q: want \"table account region\"", c.Control, p)
		}
		parts = append(parts, store.PartitionRecord{Provider: provider, Table: f[0], AccountID: f[1], Region: f[2],
			StartedAt: syncTime, FinishedAt: syncTime, Status: store.StatusOK})
	}
	for _, b := range c.BlindSpots {
		f := strings.Fields(b)
		if len(f) != 3 {
			t.Fatalf("case %s: blind spot %q: want \"table account region\"", c.Control, b)
		}
		parts = append(parts, store.PartitionRecord{Provider: provider, Table: f[0], AccountID: f[1], Region: f[2],
			StartedAt: syncTime, FinishedAt: syncTime, Status: store.StatusBlindSpot, ErrorCode: "AccessDenied", Error: "denied in the test case"})
	}
	if err := st.RecordPartitions(ctx, runID, parts); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, runID, store.RunSummary{Status: store.RunOK}); err != nil {
		t.Fatal(err)
	}
}

// caseProvider returns the provider of the case's control, taken from the
// first table that the case names: a sync run belongs to one provider.
func caseProvider(t *testing.T, c controlCase) string {
	t.Helper()
	names := sortedNames(c.Rows)
	for _, p := range append(c.Synced, c.BlindSpots...) {
		names = append(names, strings.Fields(p)[0])
	}
	for _, name := range names {
		if tbl, ok := tables.Lookup(name); ok {
			return tbl.Provider
		}
	}
	t.Fatalf("case %s names no known table", c.Control)
	return ""
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func readCases(t *testing.T) map[string][]controlCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]controlCase{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cs []controlCase
		if err := yaml.UnmarshalWithOptions(data, &cs, yaml.DisallowUnknownField()); err != nil {
			t.Fatalf("%s: %s", f, yaml.FormatError(err, false, false))
		}
		for _, c := range cs {
			out[c.Control] = append(out[c.Control], c)
		}
	}
	return out
}

// TestControlCases runs every built-in control over its cases from
// testdata/cases and checks the status of every expected resource. It
// fails when a control has no case with a passing resource and one with a
// failing resource.
func TestControlCases(t *testing.T) {
	p := loadBuiltin(t)
	cases := readCases(t)
	for _, id := range sortedNames(p.Controls) {
		c := p.Controls[id]
		t.Run(id, func(t *testing.T) {
			statuses := map[string]bool{}
			for _, cs := range cases[id] {
				for _, s := range cs.Expect {
					statuses[s] = true
				}
			}
			if !statuses[StatusPass] || !statuses[StatusFail] {
				t.Fatalf("control %s needs cases with at least one pass and one fail in testdata/cases (has %v)", id, statuses)
			}
			for i, cs := range cases[id] {
				t.Run(fmt.Sprint(i), func(t *testing.T) {
					runCase(t, p, c, cs)
				})
			}
		})
	}
	for id := range cases {
		if _, ok := p.Controls[id]; !ok {
			t.Errorf("testdata/cases has cases for %s, which is not a built-in control", id)
		}
	}
}

func runCase(t *testing.T, p *Pack, c *Control, cs controlCase) {
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, name := range c.Tables {
		tbl, ok := tables.Lookup(name)
		if !ok {
			t.Fatalf("control %s reads %s, which is not a table", c.ID, name)
		}
		if err := st.EnsureTable(context.Background(), tbl.Schema()); err != nil {
			t.Fatal(err)
		}
	}
	loadCase(t, st, cs)
	run, err := Execute(context.Background(), st, p, nil, []*Control{c}, Filters{}, Options{Logger: quiet, Passes: true})
	if err != nil {
		t.Fatal(err)
	}
	o := run.Outcomes[0]
	if o.Err != nil {
		t.Fatalf("control %s failed: %v", c.ID, o.Err)
	}
	got := map[string]Result{}
	for _, r := range o.Results {
		if strings.TrimSpace(r.Reason) == "" {
			t.Errorf("resource %s: empty reason", r.Resource)
		}
		got[r.Resource] = r
	}
	for _, resource := range cs.Absent {
		if r, ok := got[resource]; ok {
			t.Errorf("resource %s: got %s (%s), want no result", resource, r.Status, r.Reason)
		}
	}
	for resource, want := range cs.Expect {
		r, ok := got[resource]
		if !ok {
			t.Errorf("resource %s: no result, want %s (results: %v)", resource, want, resultKeys(got))
			continue
		}
		if r.Status != want {
			t.Errorf("resource %s: got %s (%s), want %s", resource, r.Status, r.Reason, want)
		}
	}
}

func resultKeys(m map[string]Result) []string {
	var out []string
	for k, r := range m {
		out = append(out, k+"="+r.Status)
	}
	sort.Strings(out)
	return out
}
