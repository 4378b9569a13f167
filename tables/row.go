package tables

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"
	"unsafe"

	duckdb "github.com/duckdb/duckdb-go/v2"
	gojson "github.com/goccy/go-json"

	"github.com/stance-cspm/stance/internal/store"
)

// Row converts a record into a store row in column order. It fails on a
// column the table does not define, on a value that cannot take the
// column's type, and on an empty key. It leaves JSON documents unchecked:
// store.Writer.Append checks those of the rows that it writes and rejects
// a row with an invalid document.
func (t *Table) Row(target Target, rec Record) (store.Row, error) {
	sc, index := t.layout()
	values := make([]any, len(sc.Columns))
	// Looking up each column in rec costs less than ranging over rec.
	found := 0
	for i, c := range sc.Columns {
		v, ok := rec[c.Name]
		if !ok {
			continue
		}
		found++
		converted, err := convert(c.Type, v)
		if err != nil {
			return store.Row{}, fmt.Errorf("table %s column %s: %w", t.Name, c.Name, err)
		}
		values[i] = converted
	}
	if found < len(rec) {
		for name := range rec {
			if _, ok := index[name]; !ok {
				return store.Row{}, fmt.Errorf("table %s has no column %q", t.Name, name)
			}
		}
	}
	if i := index[ColAccountID]; values[i] == nil {
		values[i] = target.AccountID
	}
	if i := index[ColRegion]; values[i] == nil {
		values[i] = target.Region
	}
	key, _ := values[index[t.Key]].(string)
	if key == "" {
		return store.Row{}, fmt.Errorf("table %s: resource without %s (its key) in account %s region %s", t.Name, t.Key, target.AccountID, target.Region)
	}
	// Keys are unique per account: a region name or a default resource id
	// repeats across accounts, an ARN does not but gains nothing from it.
	return store.NewRow(target.AccountID+"/"+key, values)
}

// layout returns the table's schema and the position of each column,
// computed once: Row runs for every resource of every sync.
func (t *Table) layout() (store.Schema, map[string]int) {
	t.layoutOnce.Do(func() {
		t.schema = t.Schema()
		t.index = make(map[string]int, len(t.schema.Columns))
		for i, c := range t.schema.Columns {
			t.index[c.Name] = i
		}
	})
	return t.schema, t.index
}

// Convert turns a Go value, typically a field of an SDK struct, into the
// value that store.Writer takes for a column of the given type. Pointers
// are followed, nil and nil pointers become NULL, string-based enums become
// strings, and string maps become store.Tags unless a value is NULL. A JSON
// column's value must be a valid JSON document.
func Convert(columnType string, v any) (any, error) {
	out, err := convert(columnType, v)
	if err != nil {
		return nil, err
	}
	if doc, ok := out.(json.RawMessage); ok && !gojson.Valid(doc) {
		return nil, fmt.Errorf("invalid JSON document %.80q", doc)
	}
	return out, nil
}

// convert is Convert without the check of JSON documents. Table.Row uses
// it because the store's writer checks the documents of the rows that it
// writes, and most rows of a re-sync are unchanged and never written.
func convert(columnType string, v any) (any, error) {
	if out, ok, err := convertPlain(columnType, v); ok {
		return out, err
	}
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil, nil
	}
	switch columnType {
	case store.TypeText:
		if rv.Kind() == reflect.String {
			return rv.String(), nil
		}
		if s, ok := rv.Interface().(fmt.Stringer); ok {
			return s.String(), nil
		}
	case store.TypeInt:
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return rv.Int(), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return int64(rv.Uint()), nil
		}
	case store.TypeFloat:
		switch rv.Kind() {
		case reflect.Float32, reflect.Float64:
			return rv.Float(), nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return float64(rv.Int()), nil
		}
	case store.TypeBool:
		if rv.Kind() == reflect.Bool {
			return rv.Bool(), nil
		}
	case store.TypeTimestamp:
		switch x := rv.Interface().(type) {
		case time.Time:
			if x.IsZero() {
				return nil, nil
			}
			return x.UTC(), nil
		case string:
			return ParseTime(x)
		}
	case store.TypeJSON:
		// The DuckDB appender stores a Go string in a JSON column as a JSON
		// string literal, and a json.RawMessage as the document itself.
		switch x := rv.Interface().(type) {
		case string:
			if x == "" {
				return nil, nil
			}
			return jsonText(x), nil
		case json.RawMessage:
			if len(x) == 0 {
				return nil, nil
			}
			return x, nil
		}
		b, err := json.Marshal(rv.Interface())
		if err != nil {
			return nil, fmt.Errorf("encode JSON: %w", err)
		}
		return json.RawMessage(b), nil
	case store.TypeTextList:
		if rv.Kind() == reflect.Slice {
			out := make([]any, 0, rv.Len())
			for i := 0; i < rv.Len(); i++ {
				s, err := Convert(store.TypeText, rv.Index(i).Interface())
				if err != nil {
					return nil, err
				}
				if s != nil {
					out = append(out, s)
				}
			}
			return out, nil
		}
	case store.TypeTags:
		if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
			// Keys go in sorted order: a Go map has none, and DuckDB keeps
			// the order a MAP was written in, so unsorted tags would read
			// back differently after every sync.
			keys := make([]string, 0, rv.Len())
			vals := make(map[string]any, rv.Len())
			nulls := false
			iter := rv.MapRange()
			for iter.Next() {
				val, err := Convert(store.TypeText, iter.Value().Interface())
				if err != nil {
					return nil, err
				}
				keys = append(keys, iter.Key().String())
				vals[iter.Key().String()] = val
				nulls = nulls || val == nil
			}
			sort.Strings(keys)
			if !nulls {
				out := store.Tags{Keys: keys, Values: make([]string, len(keys))}
				for i, k := range keys {
					out.Values[i] = vals[k].(string)
				}
				return out, nil
			}
			// A NULL value, such as a nil *string of an Azure tag, needs
			// the driver's map type.
			var out duckdb.OrderedMap
			for _, k := range keys {
				out.Set(k, vals[k])
			}
			return out, nil
		}
	default:
		return nil, fmt.Errorf("unsupported column type %s", columnType)
	}
	return nil, fmt.Errorf("cannot store %T as %s", v, columnType)
}

// convertPlain converts the plain Go types that fetch functions emit most,
// without reflection, because Convert runs for every value of every row.
// It returns ok false for the values that Convert's general path handles,
// and gives the same result as that path for the others.
func convertPlain(columnType string, v any) (out any, ok bool, err error) {
	switch columnType {
	// A value that is already of the column's Go type is returned as the
	// same interface value: boxing it again would allocate.
	case store.TypeText:
		_, ok := v.(string)
		return v, ok, nil
	case store.TypeInt:
		switch x := v.(type) {
		case int64:
			return v, true, nil
		case int:
			return int64(x), true, nil
		case int32:
			return int64(x), true, nil
		}
	case store.TypeBool:
		_, ok := v.(bool)
		return v, ok, nil
	case store.TypeTimestamp:
		switch x := v.(type) {
		case time.Time:
			if x.IsZero() {
				return nil, true, nil
			}
			return x.UTC(), true, nil
		case string:
			out, err := ParseTime(x)
			return out, true, err
		}
	case store.TypeJSON:
		switch x := v.(type) {
		case string:
			if x == "" {
				return nil, true, nil
			}
			return jsonText(x), true, nil
		case json.RawMessage:
			if len(x) == 0 {
				return nil, true, nil
			}
			return v, true, nil
		}
	case store.TypeTextList:
		if x, ok := v.([]string); ok && x != nil {
			out := make([]any, len(x))
			for i, s := range x {
				out[i] = s
			}
			return out, true, nil
		}
	case store.TypeTags:
		if x, ok := v.(map[string]string); ok && x != nil {
			out := store.Tags{Keys: make([]string, 0, len(x)), Values: make([]string, len(x))}
			for k := range x {
				out.Keys = append(out.Keys, k)
			}
			sort.Strings(out.Keys)
			for i, k := range out.Keys {
				out.Values[i] = x[k]
			}
			return out, true, nil
		}
	}
	return nil, false, nil
}

// jsonText returns text as a JSON document without checking it.
//
// NOTE: the returned json.RawMessage shares the memory of text instead of
// copying a document for every row, so it must never be modified.
func jsonText(text string) json.RawMessage {
	return unsafe.Slice(unsafe.StringData(text), len(text))
}

// timeLayouts are the timestamp forms that cloud APIs and their CLIs print.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000-0700", // Lambda LastModified
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02",
}

// ParseTime parses a timestamp in any of the forms that cloud APIs print.
// Values that mean "no time", such as "N/A" or "no_information" in the IAM
// credential report, return nil without an error.
func ParseTime(s string) (any, error) {
	switch s {
	case "", "N/A", "not_supported", "no_information", "-":
		return nil, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return nil, fmt.Errorf("invalid timestamp %q: want RFC 3339", s)
}
