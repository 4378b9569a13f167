package tables

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// hashTable has a column of every type that Convert handles.
var hashTable = &Table{
	Name:        "test_hash_thing",
	Provider:    "test",
	Description: "Things whose row hashes are pinned.",
	Key:         "id",
	Columns: []store.Column{
		{Name: "id", Type: store.TypeText, Description: "Id."},
		{Name: "state", Type: store.TypeText, Description: "State, a string-based enum."},
		{Name: "count", Type: store.TypeInt, Description: "Count."},
		{Name: "size", Type: store.TypeInt, Description: "Size through a pointer."},
		{Name: "ratio", Type: store.TypeFloat, Description: "Ratio."},
		{Name: "enabled", Type: store.TypeBool, Description: "Enabled."},
		{Name: "created_at", Type: store.TypeTimestamp, Description: "Creation time."},
		{Name: "seen_at", Type: store.TypeTimestamp, Description: "Time as text."},
		{Name: "group_ids", Type: store.TypeTextList, Description: "Group ids."},
		{Name: "policy", Type: store.TypeJSON, Description: "Policy as JSON text."},
		{Name: "settings", Type: store.TypeJSON, Description: "Settings from a struct."},
		{Name: "document", Type: store.TypeJSON, Description: "Document as a json.RawMessage."},
		{Name: "empty", Type: store.TypeJSON, Description: "Empty JSON text."},
	},
	Fetch: func(context.Context, Target, func(Record) error) error { return nil },
}

// Row hashes decide whether a sync adds a version, so a change of
// conversion or hashing that changed them would make the first sync after
// an upgrade add a version of every resource. The wanted hashes were
// computed with the code of commit 2f45f96.
func TestRowHashUnchanged(t *testing.T) {
	size := int32(40)
	target := Target{Provider: "test", AccountID: "111122223333", Region: "eu-west-1"}
	tests := []struct {
		name string
		rec  Record
		want uint64
	}{
		{"every type", Record{
			"id":         "i-0abc",
			"state":      enumText("running"),
			"count":      3,
			"size":       &size,
			"ratio":      0.25,
			"enabled":    true,
			"created_at": time.Date(2026, 3, 4, 5, 6, 7, 8, time.FixedZone("X", 7200)),
			"seen_at":    "2026-03-04T05:06:07Z",
			"group_ids":  []string{"sg-2", "sg-1"},
			"policy":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`,
			"settings":   struct{ Mode string }{"strict"},
			"document":   json.RawMessage(`[1,2,3]`),
			"empty":      "",
			ColTags:      map[string]string{"team": "a", "env": "prod"},
			ColRaw:       `{"InstanceId":"i-0abc"}`,
		}, 0xc3b42b5e28d43dc8},
		{"nulls", Record{"id": "i-0def"}, 0x2a598fe3c1f246b8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row, err := hashTable.Row(target, tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if row.Hash != tt.want {
				t.Errorf("hash %#x, want %#x", row.Hash, tt.want)
			}
		})
	}
}

func TestRowColumns(t *testing.T) {
	target := Target{Provider: "test", AccountID: "111122223333", Region: "eu-west-1"}
	sc := hashTable.Schema()
	position := func(name string) int {
		for i, c := range sc.Columns {
			if c.Name == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}

	if _, err := hashTable.Row(target, Record{"id": "i-1", "colour": "red"}); err == nil || !strings.Contains(err.Error(), `no column "colour"`) {
		t.Errorf("record with an unknown name: got error %v, want one naming colour", err)
	}

	row, err := hashTable.Row(target, Record{"id": "i-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := row.Values[position(ColAccountID)]; got != target.AccountID {
		t.Errorf("account_id without a record value: got %v, want the target's %s", got, target.AccountID)
	}
	if got := row.Values[position(ColRegion)]; got != target.Region {
		t.Errorf("region without a record value: got %v, want the target's %s", got, target.Region)
	}
	if row.Key != target.AccountID+"/i-1" {
		t.Errorf("key %q, want %q", row.Key, target.AccountID+"/i-1")
	}

	row, err = hashTable.Row(target, Record{"id": "i-2", ColRegion: GlobalRegion})
	if err != nil {
		t.Fatal(err)
	}
	if got := row.Values[position(ColRegion)]; got != GlobalRegion {
		t.Errorf("region from the record: got %v, want %s", got, GlobalRegion)
	}
}
