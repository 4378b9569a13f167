package awsfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go/middleware"
)

// Unmarshal decodes AWS CLI JSON output into v, a non-nil pointer to an SDK
// output struct or any other Go value. It is lenient where the CLI output
// and the SDK types differ:
//
//   - object keys match struct fields case-insensitively, so "trailList"
//     fills TrailList, and keys without a field are ignored;
//   - an object or array stored into a string field becomes its compact JSON
//     text, as the CLI prints IAM policy documents as objects;
//   - a time field takes an RFC 3339 string, with or without fractional
//     seconds and with a "+00:00" or "+0000" offset, or a number of seconds
//     since the Unix epoch;
//   - a numeric or boolean field takes a string that holds a number or
//     boolean, and a string field takes a number or boolean as its text;
//   - a []byte field takes base64 text, as the AWS CLI prints blobs, or
//     plain text when it is not valid base64, as CloudMapper writes the IAM
//     credential report;
//   - interface fields, which hold unions and documents, are left unset;
//   - null leaves the zero value.
//
// A value that cannot be converted is an error naming its JSON path, such as
// `Reservations[0].Instances[2].LaunchTime: cannot use "abc" as time`.
// Malformed JSON is an error naming the byte offset.
func Unmarshal(data []byte, v any) error {
	return unmarshal(data, v, nil)
}

// unmarshal is Unmarshal with a callback for object keys that match no
// struct field, which tests use to find data the decoder drops.
func unmarshal(data []byte, v any, unknownKey func(path string)) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decode into %T: want a non-nil pointer", v)
	}

	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return syntaxError(data, err)
	}

	d := decoder{unknownKey: unknownKey}
	return d.value("", raw, rv.Elem())
}

// syntaxError rewrites a JSON parse error to name the byte offset, counted
// from 0, and the line and column of the offending byte.
func syntaxError(data []byte, err error) error {
	offset := len(data)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = int(se.Offset)
		// encoding/json counts the bytes read, including an invalid one.
		if strings.HasPrefix(se.Error(), "invalid character") && offset > 0 {
			offset--
		}
	}
	offset = min(max(offset, 0), len(data))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	column := offset - bytes.LastIndexByte(data[:offset], '\n')
	return fmt.Errorf("invalid JSON at byte offset %d (line %d, column %d): %w", offset, line, column, err)
}

// decoder walks a JSON document and a Go value side by side.
type decoder struct {
	unknownKey func(path string)
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	metadataType = reflect.TypeOf(middleware.Metadata{})
	bytesType    = reflect.TypeOf([]byte(nil))
)

// value decodes raw, the JSON text found at path, into dst.
func (d decoder) value(path string, raw json.RawMessage, dst reflect.Value) error {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		dst.SetZero()
		return nil
	}

	switch {
	case dst.Kind() == reflect.Interface:
		// Unions and smithy documents have no CLI JSON form to map from.
		return nil
	case dst.Kind() == reflect.Pointer:
		elem := reflect.New(dst.Type().Elem())
		if err := d.value(path, raw, elem.Elem()); err != nil {
			return err
		}
		dst.Set(elem)
		return nil
	case dst.Type() == timeType:
		t, err := parseTime(raw)
		if err != nil {
			return mismatch(path, raw, "time")
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	case dst.Type() == bytesType:
		return d.blob(path, raw, dst)
	}

	switch dst.Kind() {
	case reflect.Struct:
		return d.object(path, raw, dst)
	case reflect.Map:
		return d.mapping(path, raw, dst)
	case reflect.Slice:
		return d.list(path, raw, dst)
	case reflect.String:
		return d.text(path, raw, dst)
	case reflect.Bool:
		return d.boolean(path, raw, dst)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := parseInt(raw, dst.Type().Bits())
		if err != nil {
			return mismatch(path, raw, "integer")
		}
		dst.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := parseUint(raw, dst.Type().Bits())
		if err != nil {
			return mismatch(path, raw, "unsigned integer")
		}
		dst.SetUint(n)
		return nil
	case reflect.Float32, reflect.Float64:
		f, err := parseFloat(raw, dst.Type().Bits())
		if err != nil {
			return mismatch(path, raw, "number")
		}
		dst.SetFloat(f)
		return nil
	}
	return fmt.Errorf("%s: cannot decode into Go type %s", pathOrRoot(path), dst.Type())
}

// object decodes a JSON object into a struct.
func (d decoder) object(path string, raw json.RawMessage, dst reflect.Value) error {
	if raw[0] != '{' {
		return mismatch(path, raw, "object")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return mismatch(path, raw, "object")
	}

	fields := fieldsOf(dst.Type())
	exactSet := make(map[int]bool)
	for _, key := range sortedKeys(members) {
		index, exact, ok := fields.lookup(key)
		if !ok {
			if d.unknownKey != nil {
				d.unknownKey(joinKey(path, key))
			}
			continue
		}
		// Keep the value of an exact-case key over a case-folded one.
		if exactSet[index] && !exact {
			continue
		}
		if err := d.value(joinKey(path, key), members[key], dst.Field(index)); err != nil {
			return err
		}
		if exact {
			exactSet[index] = true
		}
	}
	return nil
}

// mapping decodes a JSON object into a map with string-kind keys.
func (d decoder) mapping(path string, raw json.RawMessage, dst reflect.Value) error {
	if raw[0] != '{' {
		return mismatch(path, raw, "object")
	}
	keyType := dst.Type().Key()
	if keyType.Kind() != reflect.String {
		return fmt.Errorf("%s: cannot decode into Go type %s: map keys must be strings", pathOrRoot(path), dst.Type())
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return mismatch(path, raw, "object")
	}

	m := reflect.MakeMapWithSize(dst.Type(), len(members))
	for _, key := range sortedKeys(members) {
		elem := reflect.New(dst.Type().Elem()).Elem()
		if err := d.value(joinKey(path, key), members[key], elem); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(key).Convert(keyType), elem)
	}
	dst.Set(m)
	return nil
}

// list decodes a JSON array into a slice.
func (d decoder) list(path string, raw json.RawMessage, dst reflect.Value) error {
	if raw[0] != '[' {
		return mismatch(path, raw, "array")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return mismatch(path, raw, "array")
	}

	s := reflect.MakeSlice(dst.Type(), len(items), len(items))
	for i, item := range items {
		if err := d.value(fmt.Sprintf("%s[%d]", path, i), item, s.Index(i)); err != nil {
			return err
		}
	}
	dst.Set(s)
	return nil
}

// text decodes into a string-kind value, including SDK enum types.
func (d decoder) text(path string, raw json.RawMessage, dst reflect.Value) error {
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return mismatch(path, raw, "string")
		}
		dst.SetString(s)
	case '{', '[':
		// The CLI prints policy documents as JSON, the SDK has them as text.
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return mismatch(path, raw, "string")
		}
		dst.SetString(buf.String())
	default:
		// A number or boolean keeps its JSON text.
		dst.SetString(string(raw))
	}
	return nil
}

// blob decodes into []byte: base64 text, plain text, an array of byte
// values, or an object kept as its compact JSON text.
func (d decoder) blob(path string, raw json.RawMessage, dst reflect.Value) error {
	switch raw[0] {
	case '{':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return mismatch(path, raw, "bytes")
		}
		dst.SetBytes(buf.Bytes())
		return nil
	case '[':
		return d.list(path, raw, dst)
	case '"':
	default:
		return mismatch(path, raw, "bytes")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return mismatch(path, raw, "string")
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		dst.SetBytes(b)
		return nil
	}
	dst.SetBytes([]byte(s))
	return nil
}

// boolean decodes true, false, or a string holding either.
func (d decoder) boolean(path string, raw json.RawMessage, dst reflect.Value) error {
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return mismatch(path, raw, "boolean")
		}
	}
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return mismatch(path, raw, "boolean")
	}
	dst.SetBool(b)
	return nil
}

// numberText returns the text of a JSON number, or of a JSON string that
// holds one.
func numberText(raw json.RawMessage) (string, error) {
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return strings.TrimSpace(s), nil
	}
	if raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') {
		return string(raw), nil
	}
	return "", errors.New("not a number")
}

func parseInt(raw json.RawMessage, bits int) (int64, error) {
	s, err := numberText(raw)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.ParseInt(s, 10, bits); err == nil {
		return n, nil
	}
	// Accept "1e3" or "16.0", but not a fraction or an out-of-range value.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) {
		return 0, errors.New("not an integer")
	}
	limit := math.Ldexp(1, bits-1)
	if f < -limit || f >= limit {
		return 0, errors.New("out of range")
	}
	return int64(f), nil
}

func parseUint(raw json.RawMessage, bits int) (uint64, error) {
	s, err := numberText(raw)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.ParseUint(s, 10, bits); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < 0 || f >= math.Ldexp(1, bits) {
		return 0, errors.New("not an unsigned integer")
	}
	return uint64(f), nil
}

func parseFloat(raw json.RawMessage, bits int) (float64, error) {
	s, err := numberText(raw)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, errors.New("not a finite number")
	}
	return f, nil
}

// timeLayouts are the time forms accepted in strings, tried in order.
// RFC 3339 parsing in Go also accepts fractional seconds the layout omits.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// maxEpochSeconds bounds numeric times to years before 33658, far beyond any
// AWS timestamp, so a stray large number is rejected instead of overflowing.
const maxEpochSeconds = 1e12

// parseTime parses a time string or a number of seconds since the epoch and
// returns it in UTC, as the SDK does. Times without an offset are UTC.
func parseTime(raw json.RawMessage) (time.Time, error) {
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
		s = strings.TrimSpace(s)
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
	}

	// A number, or a string that holds one, counts seconds since the epoch.
	text, err := numberText(raw)
	if err != nil {
		return time.Time{}, err
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxEpochSeconds {
		return time.Time{}, errors.New("not a time")
	}
	sec := math.Floor(f)
	nsec := math.Round((f - sec) * 1e9)
	return time.Unix(int64(sec), int64(nsec)).UTC(), nil
}

func isNull(raw json.RawMessage) bool {
	return string(raw) == "null"
}

// mismatch returns the error for a JSON value that cannot become want.
func mismatch(path string, raw json.RawMessage, want string) error {
	return fmt.Errorf("%s: cannot use %s as %s", pathOrRoot(path), describeJSON(raw), want)
}

// describeJSON returns a short form of a JSON value for error messages:
// scalars as written, cut to at most 40 bytes on a character boundary, and
// composites by kind.
func describeJSON(raw json.RawMessage) string {
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	}
	const limit = 40
	if len(raw) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(raw[cut]) {
			cut--
		}
		return string(raw[:cut]) + "..."
	}
	return string(raw)
}

func pathOrRoot(path string) string {
	if path == "" {
		return "top-level value"
	}
	return path
}

// joinKey appends an object key to a JSON path. Keys that are not plain
// identifiers, such as map keys holding ARNs, are quoted in brackets.
func joinKey(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return fmt.Sprintf("%s[%q]", path, key)
	case path == "":
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// structFields indexes a struct type's settable fields by name.
type structFields struct {
	exact  map[string]int
	folded map[string]int
}

// lookup returns the index of the field for a JSON key, and whether the key
// matched the field name with its exact case.
func (f structFields) lookup(key string) (index int, exact, ok bool) {
	if i, ok := f.exact[key]; ok {
		return i, true, true
	}
	i, ok := f.folded[strings.ToLower(key)]
	return i, false, ok
}

var fieldCache sync.Map // reflect.Type -> structFields

// fieldsOf returns the decodable fields of struct type t: exported fields
// other than the SDK's ResultMetadata.
func fieldsOf(t reflect.Type) structFields {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.(structFields)
	}
	f := structFields{exact: map[string]int{}, folded: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		if !field.IsExported() || field.Anonymous || field.Type == metadataType {
			continue
		}
		f.exact[field.Name] = i
		f.folded[strings.ToLower(field.Name)] = i
	}
	fieldCache.Store(t, f)
	return f
}
