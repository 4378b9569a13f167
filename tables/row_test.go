package tables

import (
	"encoding/json"
	"reflect"
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

// The plain values that Convert handles without reflection must convert as
// they do through the reflection path, which a pointer to them takes.
func TestConvertPlainMatchesReflection(t *testing.T) {
	pointer := func(v any) any {
		p := reflect.New(reflect.TypeOf(v))
		p.Elem().Set(reflect.ValueOf(v))
		return p.Interface()
	}
	tests := []struct {
		typ string
		in  any
	}{
		{store.TypeText, "x"},
		{store.TypeText, ""},
		{store.TypeInt, int64(-3)},
		{store.TypeInt, 42},
		{store.TypeInt, int32(7)},
		{store.TypeBool, true},
		{store.TypeTimestamp, time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600))},
		{store.TypeTimestamp, time.Time{}},
		{store.TypeTimestamp, "2026-01-02T03:04:05Z"},
		{store.TypeTimestamp, "N/A"},
		{store.TypeJSON, `{"a":[1,2]}`},
		{store.TypeJSON, ""},
		{store.TypeJSON, json.RawMessage(`{"b":true}`)},
		{store.TypeTextList, []string{"b", "a", ""}},
		{store.TypeTextList, []string{}},
		{store.TypeTags, map[string]string{"z": "1", "a": "2", "m": ""}},
		{store.TypeTags, map[string]string{}},
	}
	for _, tt := range tests {
		plain, err := Convert(tt.typ, tt.in)
		if err != nil {
			t.Fatalf("%s %#v: %v", tt.typ, tt.in, err)
		}
		reflected, err := Convert(tt.typ, pointer(tt.in))
		if err != nil {
			t.Fatalf("%s %#v through a pointer: %v", tt.typ, tt.in, err)
		}
		if !reflect.DeepEqual(plain, reflected) {
			t.Errorf("%s %#v: got %#v without reflection, %#v with it", tt.typ, tt.in, plain, reflected)
		}
	}
	if _, err := Convert(store.TypeJSON, `{"a":`); err == nil {
		t.Error("invalid JSON text: got no error")
	}
}
