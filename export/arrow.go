package export

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/stance-cspm/stance/internal/render"
)

// MetadataType is the Arrow field metadata key that carries the DuckDB
// type of a column whose Arrow type loses it, such as "JSON" for a JSON
// document written as text.
const MetadataType = "stance.duckdb_type"

// BatchRows is the number of rows in each Arrow record batch.
const BatchRows = 64 * 1024

// arrowColumn is one column of a query result with its DuckDB and Arrow
// types.
type arrowColumn struct {
	name  string
	duck  *duckType
	arrow arrow.DataType
}

// arrowSchema returns the Arrow schema of a result with the given column
// names and DuckDB type names, and the parsed types that appendValue needs.
// With parquet set, INTERVAL columns become text such as "1 months 2 days
// 3000000 microseconds", because arrow-go cannot write Arrow intervals to
// Parquet; DuckDB casts that text back to INTERVAL.
func arrowSchema(names, types []string, parquet bool) (*arrow.Schema, []arrowColumn, error) {
	fields := make([]arrow.Field, len(names))
	cols := make([]arrowColumn, len(names))
	for i, name := range names {
		dt, err := parseDuckType(types[i])
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", name, err)
		}
		at, err := arrowType(dt)
		if err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", name, err)
		}
		if parquet && dt.Name == "INTERVAL" {
			at = arrow.BinaryTypes.String
		}
		fields[i] = arrow.Field{Name: name, Type: at, Nullable: true}
		if dt.Name == "JSON" {
			fields[i].Metadata = arrow.NewMetadata([]string{MetadataType}, []string{"JSON"})
		}
		cols[i] = arrowColumn{name: name, duck: dt, arrow: at}
	}
	return arrow.NewSchema(fields, nil), cols, nil
}

// arrowType maps a DuckDB type to the Arrow type that keeps its values.
// Types without an Arrow counterpart (HUGEINT, UUID, UNION, BIT, TIMETZ,
// ENUM) become text in DuckDB's own spelling.
func arrowType(t *duckType) (arrow.DataType, error) {
	switch t.Name {
	case "BOOLEAN":
		return arrow.FixedWidthTypes.Boolean, nil
	case "TINYINT":
		return arrow.PrimitiveTypes.Int8, nil
	case "SMALLINT":
		return arrow.PrimitiveTypes.Int16, nil
	case "INTEGER":
		return arrow.PrimitiveTypes.Int32, nil
	case "BIGINT":
		return arrow.PrimitiveTypes.Int64, nil
	case "UTINYINT":
		return arrow.PrimitiveTypes.Uint8, nil
	case "USMALLINT":
		return arrow.PrimitiveTypes.Uint16, nil
	case "UINTEGER":
		return arrow.PrimitiveTypes.Uint32, nil
	case "UBIGINT":
		return arrow.PrimitiveTypes.Uint64, nil
	case "FLOAT":
		return arrow.PrimitiveTypes.Float32, nil
	case "DOUBLE":
		return arrow.PrimitiveTypes.Float64, nil
	case "DECIMAL":
		return &arrow.Decimal128Type{Precision: int32(t.Width), Scale: int32(t.Scale)}, nil
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, nil
	case "TIMESTAMP":
		return &arrow.TimestampType{Unit: arrow.Microsecond}, nil
	case "TIMESTAMP_S":
		return &arrow.TimestampType{Unit: arrow.Second}, nil
	case "TIMESTAMP_MS":
		return &arrow.TimestampType{Unit: arrow.Millisecond}, nil
	case "TIMESTAMP_NS":
		return &arrow.TimestampType{Unit: arrow.Nanosecond}, nil
	case "DATE":
		return arrow.FixedWidthTypes.Date32, nil
	case "TIME":
		return arrow.FixedWidthTypes.Time64us, nil
	case "INTERVAL":
		return arrow.FixedWidthTypes.MonthDayNanoInterval, nil
	case "BLOB":
		return arrow.BinaryTypes.Binary, nil
	case "LIST":
		elem, err := arrowType(t.Elem)
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(elem), nil
	case "ARRAY":
		elem, err := arrowType(t.Elem)
		if err != nil {
			return nil, err
		}
		return arrow.FixedSizeListOf(int32(t.Size), elem), nil
	case "STRUCT":
		fields := make([]arrow.Field, len(t.Fields))
		for i, f := range t.Fields {
			ft, err := arrowType(f.Type)
			if err != nil {
				return nil, err
			}
			fields[i] = arrow.Field{Name: f.Name, Type: ft, Nullable: true}
		}
		return arrow.StructOf(fields...), nil
	case "MAP":
		key, err := arrowType(t.Key)
		if err != nil {
			return nil, err
		}
		value, err := arrowType(t.Value)
		if err != nil {
			return nil, err
		}
		return arrow.MapOf(key, value), nil
	default:
		// VARCHAR, JSON, ENUM, UUID, HUGEINT, UHUGEINT, BIGNUM, BIT, TIMETZ,
		// UNION and any type a later DuckDB adds.
		return arrow.BinaryTypes.String, nil
	}
}

// appendValue appends one value, as the duckdb-go driver scans it, to a
// builder of the column's Arrow type.
func appendValue(b array.Builder, t *duckType, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	switch b := b.(type) {
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Int8Builder:
		x, ok := v.(int8)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Int16Builder:
		x, ok := v.(int16)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Int32Builder:
		x, ok := v.(int32)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Int64Builder:
		x, ok := v.(int64)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Uint8Builder:
		x, ok := v.(uint8)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Uint16Builder:
		x, ok := v.(uint16)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Uint32Builder:
		x, ok := v.(uint32)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Uint64Builder:
		x, ok := v.(uint64)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Float32Builder:
		x, ok := v.(float32)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Float64Builder:
		x, ok := v.(float64)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.Decimal128Builder:
		x, ok := v.(duckdb.Decimal)
		if !ok || x.Value == nil {
			return unexpected(t, v)
		}
		b.Append(decimal128.FromBigInt(x.Value))
	case *array.TimestampBuilder:
		x, ok := v.(time.Time)
		if !ok {
			return unexpected(t, v)
		}
		ts, err := arrow.TimestampFromTime(x, b.Type().(*arrow.TimestampType).Unit)
		if err != nil {
			return fmt.Errorf("%s value %s: %w", t.Name, x, err)
		}
		b.Append(ts)
	case *array.Date32Builder:
		x, ok := v.(time.Time)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(arrow.Date32FromTime(x))
	case *array.Time64Builder:
		x, ok := v.(time.Time)
		if !ok {
			return unexpected(t, v)
		}
		midnight := time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, x.Location())
		b.Append(arrow.Time64(x.Sub(midnight).Microseconds()))
	case *array.MonthDayNanoIntervalBuilder:
		x, ok := v.(duckdb.Interval)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(arrow.MonthDayNanoInterval{Months: x.Months, Days: x.Days, Nanoseconds: x.Micros * 1000})
	case *array.BinaryBuilder:
		x, ok := v.([]byte)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(x)
	case *array.StringBuilder:
		s, err := textValue(t, v)
		if err != nil {
			return err
		}
		b.Append(s)
	case *array.MapBuilder:
		// MapBuilder embeds ListBuilder, so it must come before it.
		return appendMap(b, t, v)
	case *array.ListBuilder:
		items, ok := v.([]any)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(true)
		for _, item := range items {
			if err := appendValue(b.ValueBuilder(), t.Elem, item); err != nil {
				return err
			}
		}
	case *array.FixedSizeListBuilder:
		items, ok := v.([]any)
		if !ok || len(items) != t.Size {
			return unexpected(t, v)
		}
		b.Append(true)
		for _, item := range items {
			if err := appendValue(b.ValueBuilder(), t.Elem, item); err != nil {
				return err
			}
		}
	case *array.StructBuilder:
		members, ok := v.(map[string]any)
		if !ok {
			return unexpected(t, v)
		}
		b.Append(true)
		for i, f := range t.Fields {
			if err := appendValue(b.FieldBuilder(i), f.Type, members[f.Name]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("no Arrow builder for DuckDB type %s (builder %T)", t.Name, b)
	}
	return nil
}

func appendMap(b *array.MapBuilder, t *duckType, v any) error {
	var keys, values []any
	switch m := v.(type) {
	case duckdb.OrderedMap:
		keys, values = m.Keys(), m.Values()
	case duckdb.Map:
		for k, e := range m {
			keys = append(keys, k)
			values = append(values, e)
		}
	default:
		return unexpected(t, v)
	}
	b.Append(true)
	for i := range keys {
		if err := appendValue(b.KeyBuilder(), t.Key, keys[i]); err != nil {
			return err
		}
		if err := appendValue(b.ItemBuilder(), t.Value, values[i]); err != nil {
			return err
		}
	}
	return nil
}

// textValue returns the text form of a value of a type that Arrow receives
// as text.
func textValue(t *duckType, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case *big.Int:
		return x.String(), nil
	case duckdb.UUID:
		return x.String(), nil
	case duckdb.Union:
		return render.Text(x.Value), nil
	case duckdb.Interval:
		return fmt.Sprintf("%d months %d days %d microseconds", x.Months, x.Days, x.Micros), nil
	}
	if t.Name == "UUID" {
		if b, ok := v.([]byte); ok && len(b) == 16 {
			var u duckdb.UUID
			copy(u[:], b)
			return u.String(), nil
		}
	}
	if t.Name == "JSON" {
		// The driver decodes JSON documents, so they are encoded again.
		// NOTE: object keys come out sorted, not in the stored order.
		doc, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("encode JSON value: %w", err)
		}
		return string(doc), nil
	}
	if tm, ok := v.(time.Time); ok {
		return tm.Format(time.RFC3339Nano), nil
	}
	return fmt.Sprint(v), nil
}

func unexpected(t *duckType, v any) error {
	return fmt.Errorf("unexpected %T value for DuckDB type %s", v, t.Name)
}

// rowBatcher reads database/sql rows into Arrow record batches.
type rowBatcher struct {
	rows   *sql.Rows
	schema *arrow.Schema
	cols   []arrowColumn
	mem    memory.Allocator
	// Rows counts the rows read so far.
	Rows int64
}

func newRowBatcher(rows *sql.Rows, mem memory.Allocator, parquet bool) (*rowBatcher, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, fmt.Errorf("read result columns: %w", err)
	}
	names := make([]string, len(types))
	typeNames := make([]string, len(types))
	for i, ct := range types {
		names[i] = ct.Name()
		typeNames[i] = ct.DatabaseTypeName()
	}
	schema, cols, err := arrowSchema(names, typeNames, parquet)
	if err != nil {
		return nil, err
	}
	return &rowBatcher{rows: rows, schema: schema, cols: cols, mem: mem}, nil
}

// Next returns the next batch of at most BatchRows rows, or nil after the
// last row. The caller releases each batch.
func (r *rowBatcher) Next() (arrow.RecordBatch, error) {
	b := array.NewRecordBuilder(r.mem, r.schema)
	defer b.Release()
	values := make([]any, len(r.cols))
	ptrs := make([]any, len(r.cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	n := 0
	for n < BatchRows && r.rows.Next() {
		if err := r.rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read result row %d: %w", r.Rows+1, err)
		}
		for i, c := range r.cols {
			if err := appendValue(b.Field(i), c.duck, values[i]); err != nil {
				return nil, fmt.Errorf("row %d, column %s: %w", r.Rows+1, c.name, err)
			}
		}
		n++
		r.Rows++
	}
	if err := r.rows.Err(); err != nil {
		return nil, fmt.Errorf("read result: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	return b.NewRecordBatch(), nil
}
