package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var testSchema = Schema{Name: "test_thing", Description: "Things.", Columns: []Column{
	{Name: "id", Type: TypeText, Description: "Id."},
	{Name: "value", Type: TypeText, Description: "Value."},
	{Name: "doc", Type: TypeJSON, Description: "Document."},
}}

// writerStore opens an in-memory store with testSchema.
func writerStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.EnsureTable(ctx, testSchema); err != nil {
		t.Fatal(err)
	}
	return st
}

func thing(t *testing.T, id, value string) Row {
	t.Helper()
	r, err := NewRow(id, []any{id, value, json.RawMessage(`{"v":"` + value + `"}`)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// writeStep is one call of a run: a batch of rows for a partition, or the
// discard of a partition.
type writeStep struct {
	partition string
	rows      []Row
	discard   bool
}

// writeRun writes one sync run step by step, then merges the completed
// partitions.
func writeRun(t *testing.T, st *Store, at time.Time, steps []writeStep, completed []string) MergeStats {
	t.Helper()
	ctx := context.Background()
	runID, syncTime, err := st.BeginRun(ctx, "test", "test", at)
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.NewWriter(ctx, runID, syncTime)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, s := range steps {
		if s.discard {
			if err := w.Discard(ctx, testSchema, s.partition); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.Append(ctx, testSchema, s.partition, s.rows); err != nil {
			t.Fatal(err)
		}
	}
	stats, err := w.Merge(ctx, testSchema, completed)
	if err != nil {
		t.Fatal(err)
	}
	return stats
}

// openValues returns id to value of the open versions.
func openValues(t *testing.T, st *Store) map[string]string {
	t.Helper()
	rows, err := st.DB().Query(`SELECT id, value FROM history.test_thing WHERE _valid_to IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Errorf("key %s has two open versions", id)
		}
		out[id] = v
	}
	return out
}

func TestWriterDiscardKeepsPreviousRows(t *testing.T) {
	st := writerStore(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeRun(t, st, start, []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "1"), thing(t, "b", "1")}},
		{partition: "a/r2", rows: []Row{thing(t, "c", "1")}},
	}, []string{"a/r1", "a/r2"})

	// r1 writes a change and a new key in a first batch, then its fetch
	// fails; r2 changes c and completes.
	stats := writeRun(t, st, start.Add(time.Hour), []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "2"), thing(t, "new", "1")}},
		{partition: "a/r2", rows: []Row{thing(t, "c", "2")}},
		{partition: "a/r1", discard: true},
	}, []string{"a/r2"})

	if stats.VersionsAdded != 1 || stats.VersionsClosed != 1 {
		t.Errorf("merge added %d and closed %d versions, want 1 and 1", stats.VersionsAdded, stats.VersionsClosed)
	}
	got := openValues(t, st)
	want := map[string]string{"a": "1", "b": "1", "c": "2"}
	if len(got) != len(want) {
		t.Errorf("open versions %v, want %v", got, want)
	}
	for id, v := range want {
		if got[id] != v {
			t.Errorf("open version of %s: got %q, want %q", id, got[id], v)
		}
	}
}

func TestWriterMergeDropsUnlistedPartitions(t *testing.T) {
	st := writerStore(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stats := writeRun(t, st, start, []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "1")}},
		{partition: "a/r2", rows: []Row{thing(t, "b", "1")}},
	}, []string{"a/r1"})
	if stats.VersionsAdded != 1 {
		t.Errorf("merge added %d versions, want 1", stats.VersionsAdded)
	}
	got := openValues(t, st)
	if _, ok := got["b"]; ok || got["a"] != "1" {
		t.Errorf("open versions %v, want only a=1", got)
	}
}

func TestWriterDuplicateKeyKeepsFirstRow(t *testing.T) {
	st := writerStore(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stats := writeRun(t, st, start, []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "first"), thing(t, "a", "second")}},
		{partition: "a/r2", rows: []Row{thing(t, "a", "third")}},
	}, []string{"a/r1", "a/r2"})
	if stats.VersionsAdded != 1 {
		t.Errorf("merge added %d versions, want 1", stats.VersionsAdded)
	}
	if got := openValues(t, st); got["a"] != "first" {
		t.Errorf("open version of a: got %q, want %q", got["a"], "first")
	}
}

func TestWriterDeletesOnlyInCompletedPartitions(t *testing.T) {
	st := writerStore(t)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	writeRun(t, st, start, []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "1"), thing(t, "b", "1")}},
		{partition: "a/r2", rows: []Row{thing(t, "c", "1")}},
	}, []string{"a/r1", "a/r2"})

	// r1 completes without b; r2 is not listed, so c stays.
	stats := writeRun(t, st, start.Add(time.Hour), []writeStep{
		{partition: "a/r1", rows: []Row{thing(t, "a", "1")}},
	}, []string{"a/r1"})
	if stats.VersionsAdded != 0 || stats.VersionsClosed != 1 {
		t.Errorf("merge added %d and closed %d versions, want 0 and 1", stats.VersionsAdded, stats.VersionsClosed)
	}
	got := openValues(t, st)
	if _, ok := got["b"]; ok {
		t.Errorf("deleted resource b is still open: %v", got)
	}
	if got["c"] != "1" {
		t.Errorf("resource c of the partition left out: got %q, want kept", got["c"])
	}
}

func TestWriterRowsHiddenUntilMerge(t *testing.T) {
	st := writerStore(t)
	ctx := context.Background()
	runID, syncTime, err := st.BeginRun(ctx, "test", "test", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.NewWriter(ctx, runID, syncTime)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows := make([]Row, 0, flushRows+10)
	for i := range flushRows + 10 {
		rows = append(rows, thing(t, fmt.Sprintf("k%d", i), "1"))
	}
	if err := w.Append(ctx, testSchema, "a/r1", rows); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := st.DB().QueryRow(`SELECT count(*) FROM history.test_thing`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("another connection sees %d rows before the merge, want 0", n)
	}
	if _, err := w.Merge(ctx, testSchema, []string{"a/r1"}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != len(rows) {
		t.Errorf("rows after the merge: got %d, want %d", n, len(rows))
	}
	var docs int
	if err := st.DB().QueryRow(`SELECT count(*) FROM history.test_thing WHERE doc->>'v' = '1'`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if docs != len(rows) {
		t.Errorf("rows whose document reads back: got %d, want %d", docs, len(rows))
	}
}

func TestWriterRejectsInvalidDocument(t *testing.T) {
	tests := []struct {
		name string
		key  string
	}{
		{"new row", "new"},
		{"changed row", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := writerStore(t)
			ctx := context.Background()
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			writeRun(t, st, start, []writeStep{
				{partition: "a/r1", rows: []Row{thing(t, "a", "1"), thing(t, "b", "1")}},
				{partition: "a/r2", rows: []Row{thing(t, "c", "1")}},
			}, []string{"a/r1", "a/r2"})

			runID, syncTime, err := st.BeginRun(ctx, "test", "test", start.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			w, err := st.NewWriter(ctx, runID, syncTime)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			invalid, err := NewRow(tt.key, []any{tt.key, "2", json.RawMessage(`{"v":`)})
			if err != nil {
				t.Fatal(err)
			}
			// b changes before the invalid row in the same batch, so the
			// partition has a written row that must not stay.
			err = w.Append(ctx, testSchema, "a/r1", []Row{thing(t, "b", "2"), invalid})
			var rowErr *InvalidRowError
			if !errors.As(err, &rowErr) {
				t.Fatalf("append of an invalid document: got error %v, want an *InvalidRowError", err)
			}
			if rowErr.Table != "test_thing" || rowErr.Column != "doc" || rowErr.Key != tt.key {
				t.Errorf("error names table %q column %q key %q, want test_thing, doc, %s", rowErr.Table, rowErr.Column, rowErr.Key, tt.key)
			}
			if msg := err.Error(); !strings.Contains(msg, "table test_thing") {
				t.Errorf("message %q does not name the table", msg)
			}
			if msg := err.Error(); !strings.Contains(msg, "column doc") {
				t.Errorf("message %q does not name the column", msg)
			}

			// The table stays writable for the other partitions.
			if err := w.Append(ctx, testSchema, "a/r2", []Row{thing(t, "c", "2")}); err != nil {
				t.Fatalf("append to another partition after the rejection: %v", err)
			}
			if err := w.Discard(ctx, testSchema, "a/r1"); err != nil {
				t.Fatal(err)
			}
			stats, err := w.Merge(ctx, testSchema, []string{"a/r2"})
			if err != nil {
				t.Fatal(err)
			}
			if stats.VersionsAdded != 1 || stats.VersionsClosed != 1 {
				t.Errorf("merge added %d and closed %d versions, want 1 and 1 (c only)", stats.VersionsAdded, stats.VersionsClosed)
			}
			got := openValues(t, st)
			want := map[string]string{"a": "1", "b": "1", "c": "2"}
			if len(got) != len(want) {
				t.Errorf("open versions %v, want %v", got, want)
			}
			for id, v := range want {
				if got[id] != v {
					t.Errorf("open version of %s: got %q, want %q", id, got[id], v)
				}
			}
		})
	}
}

func TestWriterWritesTags(t *testing.T) {
	sc := Schema{Name: "test_tagged", Description: "Tagged things.", Columns: []Column{
		{Name: "id", Type: TypeText, Description: "Id."},
		{Name: "tags", Type: TypeTags, Description: "Tags."},
	}}
	st := writerStore(t)
	ctx := context.Background()
	if err := st.EnsureTable(ctx, sc); err != nil {
		t.Fatal(err)
	}
	row, err := NewRow("a", []any{"a", Tags{Keys: []string{"env", "team"}, Values: []string{"prod", ""}}})
	if err != nil {
		t.Fatal(err)
	}

	runID, syncTime, err := st.BeginRun(ctx, "test", "test", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.NewWriter(ctx, runID, syncTime)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Append(ctx, sc, "a/r1", []Row{row}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Merge(ctx, sc, []string{"a/r1"}); err != nil {
		t.Fatal(err)
	}

	var got string
	if err := st.DB().QueryRow(`SELECT tags::VARCHAR FROM history.test_tagged`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := "{env=prod, team=''}"; got != want {
		t.Errorf("tags read back as %s, want %s", got, want)
	}
}
