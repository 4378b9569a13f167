package tables

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

type enumText string

func TestConvert(t *testing.T) {
	text := "x"
	n32 := int32(7)
	var nilText *string
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	tests := []struct {
		name   string
		typ    string
		in     any
		want   any
		errors bool
	}{
		{"text pointer", store.TypeText, &text, "x", false},
		{"nil pointer", store.TypeText, nilText, nil, false},
		{"enum", store.TypeText, enumText("Enabled"), "Enabled", false},
		{"int32 pointer", store.TypeInt, &n32, int64(7), false},
		{"time in UTC", store.TypeTimestamp, when, when.UTC(), false},
		{"credential report N/A", store.TypeTimestamp, "N/A", nil, false},
		{"bad time", store.TypeTimestamp, "soon", nil, true},
		{"json text is a document", store.TypeJSON, `{"a":1}`, json.RawMessage(`{"a":1}`), false},
		{"json struct", store.TypeJSON, struct{ A int }{1}, json.RawMessage(`{"A":1}`), false},
		{"invalid json text", store.TypeJSON, `{"a":`, nil, true},
		{"bool as text", store.TypeBool, "true", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.typ, tt.in)
			if tt.errors {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(tt.want)
			if string(gb) != string(wb) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if tt.typ == store.TypeJSON {
				if _, ok := got.(json.RawMessage); !ok {
					t.Errorf("got %T, want json.RawMessage so the appender stores a document", got)
				}
			}
		})
	}
}
