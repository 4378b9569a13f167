package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/zeebo/xxh3"
)

// Row is one resource row on its way into a history table. Values are in
// the order of the table's Schema.Columns.
type Row struct {
	Key    string
	Hash   uint64
	Values []any
}

// NewRow returns a row whose Hash covers every value, so that two rows with
// equal values have equal hashes in any process. Times are compared in UTC
// and map keys in sorted order.
func NewRow(key string, values []any) (Row, error) {
	h := xxh3.New()
	var buf [9]byte
	for i, v := range values {
		if err := hashValue(h, buf[:], v); err != nil {
			return Row{}, fmt.Errorf("hash row %s value %d: %w", key, i, err)
		}
	}
	return Row{Key: key, Hash: h.Sum64(), Values: values}, nil
}

// hashValue writes v into h with a type tag and, for variable-length
// values, a length prefix, so that different values never write the same
// bytes.
func hashValue(h *xxh3.Hasher, buf []byte, v any) error {
	tagged := func(tag byte, n uint64) { writeTag(h, buf, tag, n) }
	switch x := v.(type) {
	case nil:
		tagged(0, 0)
	case string:
		tagged(1, uint64(len(x)))
		h.WriteString(x)
	case json.RawMessage:
		tagged(2, uint64(len(x)))
		h.Write(x)
	case []byte:
		tagged(3, uint64(len(x)))
		h.Write(x)
	case bool:
		n := uint64(0)
		if x {
			n = 1
		}
		tagged(4, n)
	case int64:
		tagged(5, uint64(x))
	case int:
		tagged(5, uint64(x))
	case int32:
		tagged(5, uint64(x))
	case float64:
		tagged(6, math.Float64bits(x))
	case time.Time:
		tagged(7, uint64(x.UTC().UnixNano()))
	case []any:
		tagged(8, uint64(len(x)))
		for _, e := range x {
			if err := hashValue(h, buf, e); err != nil {
				return err
			}
		}
	case []string:
		tagged(8, uint64(len(x)))
		for _, e := range x {
			tagged(1, uint64(len(e)))
			h.WriteString(e)
		}
	case Tags:
		// The same bytes as an OrderedMap of these entries, below.
		tagged(9, uint64(len(x.Keys)))
		for i, k := range x.Keys {
			tagged(1, uint64(len(k)))
			h.WriteString(k)
			tagged(1, uint64(len(x.Values[i])))
			h.WriteString(x.Values[i])
		}
	case duckdb.OrderedMap:
		// Maps from tables.Convert arrive with their keys sorted: hash them
		// in place. They write the same bytes as the sorting path below.
		if keys, ok := sortedStringKeys(&x); ok {
			values := x.Values()
			tagged(9, uint64(len(keys)))
			for i, k := range keys {
				tagged(1, uint64(len(k)))
				h.WriteString(k)
				if err := hashValue(h, buf, values[i]); err != nil {
					return err
				}
			}
			return nil
		}
		return hashUnsortedMap(h, buf, x)
	case duckdb.Map:
		return hashUnsortedMap(h, buf, x)
	default:
		// Values of other types are rare: hash their JSON encoding.
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		tagged(10, uint64(len(b)))
		h.Write(b)
	}
	return nil
}

// writeTag writes a type tag and a number, the value itself for fixed-size
// values and the length for the others.
func writeTag(h *xxh3.Hasher, buf []byte, tag byte, n uint64) {
	buf[0] = tag
	binary.LittleEndian.PutUint64(buf[1:], n)
	h.Write(buf[:9])
}

// hashUnsortedMap writes a map in sorted key order, so that equal maps hash
// equally whatever order their keys were set in.
func hashUnsortedMap(h *xxh3.Hasher, buf []byte, x any) error {
	tagged := func(tag byte, n uint64) { writeTag(h, buf, tag, n) }
	var keys []string
	values := map[string]any{}
	add := func(k, e any) {
		ks := fmt.Sprint(k)
		keys = append(keys, ks)
		values[ks] = e
	}
	if m, ok := x.(duckdb.Map); ok {
		for k, e := range m {
			add(k, e)
		}
	} else {
		om := x.(duckdb.OrderedMap)
		ks, es := om.Keys(), om.Values()
		for i := range ks {
			add(ks[i], es[i])
		}
	}
	sort.Strings(keys)
	tagged(9, uint64(len(keys)))
	for _, k := range keys {
		tagged(1, uint64(len(k)))
		h.WriteString(k)
		if err := hashValue(h, buf, values[k]); err != nil {
			return err
		}
	}
	return nil
}

// sortedStringKeys returns the keys of m when all are strings in strictly
// ascending order.
func sortedStringKeys(m *duckdb.OrderedMap) ([]string, bool) {
	keys := make([]string, m.Len())
	for i, k := range m.Keys() {
		s, ok := k.(string)
		if !ok || (i > 0 && s <= keys[i-1]) {
			return nil, false
		}
		keys[i] = s
	}
	return keys, true
}
