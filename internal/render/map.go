package render

import (
	"reflect"
)

// asMap reads any map value, such as the duckdb.Map that DuckDB's MAP
// columns scan into, as a map with interface keys.
func asMap(v any) (map[any]any, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	out := make(map[any]any, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		out[iter.Key().Interface()] = iter.Value().Interface()
	}
	return out, true
}
