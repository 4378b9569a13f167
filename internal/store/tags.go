package store

import (
	"encoding/json"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Tags is a value of a MAP(VARCHAR, VARCHAR) column, with Values[i] the
// value of Keys[i]. Keys must be in strictly ascending order. NewRow
// hashes it as it hashes a duckdb.OrderedMap of the same entries, and the
// writer turns it into one only for the rows that it writes, which saves
// boxing every key and value of an unchanged row.
type Tags struct {
	Keys   []string
	Values []string
}

// OrderedMap returns the tags as the driver's map value.
func (t Tags) OrderedMap() duckdb.OrderedMap {
	var m duckdb.OrderedMap
	for i, k := range t.Keys {
		m.Set(k, t.Values[i])
	}
	return m
}

// MarshalJSON encodes the tags as a JSON object in key order.
func (t Tags) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.OrderedMap())
}
