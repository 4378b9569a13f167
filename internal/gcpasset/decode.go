package gcpasset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	gosync "sync"
	"time"
)

// Decoded reports what Decode read from one stream.
type Decoded struct {
	Assets int
	// Warnings describe input that was skipped without losing an asset,
	// such as a stray closing bracket after the last value.
	Warnings []string
}

// Decode reads assets from r and calls fn for each, in file order. It
// accepts every form that Cloud Asset Inventory tools write: newline-
// delimited JSON from `gcloud asset export`, the JSON array that
// `gcloud asset list --format=json` prints, a single asset object, a
// ListAssets response object with an "assets" list, and any sequence of
// these. Field names may be snake_case (exports) or camelCase (the API and
// gcloud). A syntax error fails with the byte offset.
func Decode(r io.Reader, fn func(*Asset) error) (Decoded, error) {
	var out Decoded
	dec := json.NewDecoder(r)
	emit := func(obj object) error {
		if list, ok := obj["assets"]; ok && obj.raw("name") == nil {
			return decodeList(list, fn, &out)
		}
		a, err := assetFromObject(obj)
		if err != nil {
			return err
		}
		out.Assets++
		return fn(a)
	}
	for {
		offset := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) && out.Assets > 0 {
				if warning, ok := strayClosers(dec, r, offset); ok {
					out.Warnings = append(out.Warnings, warning)
					return out, nil
				}
			}
			return out, fmt.Errorf("invalid JSON at byte %d: %w", offset, err)
		}
		switch tok {
		case json.Delim('['):
			for dec.More() {
				offset := dec.InputOffset()
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return out, fmt.Errorf("invalid JSON at byte %d: %w", offset, err)
				}
				obj, err := parseObject(raw)
				if err != nil {
					return out, fmt.Errorf("value at byte %d: %w", offset, err)
				}
				if err := emit(obj); err != nil {
					return out, fmt.Errorf("value at byte %d: %w", offset, err)
				}
			}
			if _, err := dec.Token(); err != nil {
				return out, fmt.Errorf("invalid JSON at byte %d: %w", dec.InputOffset(), err)
			}
		case json.Delim('{'):
			obj, err := readObjectMembers(dec)
			if err != nil {
				return out, fmt.Errorf("invalid JSON in the value at byte %d: %w", offset, err)
			}
			if err := emit(obj); err != nil {
				return out, fmt.Errorf("value at byte %d: %w", offset, err)
			}
		default:
			return out, fmt.Errorf("value at byte %d is %v: want an asset object or an array of assets", offset, tok)
		}
	}
}

// strayClosers checks whether everything from offset on is whitespace and
// closing brackets, as in an array file with one "]" too many. Such input
// cannot hide an asset, so Decode keeps what it read and warns.
func strayClosers(dec *json.Decoder, r io.Reader, offset int64) (string, bool) {
	rest, err := io.ReadAll(io.MultiReader(dec.Buffered(), r))
	if err != nil {
		return "", false
	}
	if len(bytes.Trim(rest, " \t\r\n]")) != 0 {
		return "", false
	}
	return fmt.Sprintf("ignored stray %q after the last value at byte %d", strings.TrimSpace(string(rest)), offset), true
}

func decodeList(list json.RawMessage, fn func(*Asset) error, out *Decoded) error {
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return fmt.Errorf("field assets: want a list of assets: %w", err)
	}
	for i, item := range items {
		obj, err := parseObject(item)
		if err != nil {
			return fmt.Errorf("assets[%d]: %w", i, err)
		}
		a, err := assetFromObject(obj)
		if err != nil {
			return fmt.Errorf("assets[%d]: %w", i, err)
		}
		out.Assets++
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// readObjectMembers reads the members of an object whose "{" the decoder
// has just returned, and its closing "}".
func readObjectMembers(dec *json.Decoder) (object, error) {
	obj := object{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("object key is %v, want a string", tok)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		obj[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return obj, nil
}

// Unmarshal decodes one asset from a JSON object in either naming style.
func Unmarshal(data []byte) (*Asset, error) {
	obj, err := parseObject(data)
	if err != nil {
		return nil, err
	}
	return assetFromObject(obj)
}

// object is a JSON object whose members are decoded on demand. Its getters
// take the snake_case name and also accept the camelCase form.
type object map[string]json.RawMessage

func parseObject(raw json.RawMessage) (object, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("got %.40s, want a JSON object", raw)
	}
	var obj object
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// raw returns the member named snake or its camelCase form, nil when
// absent or null.
func (o object) raw(snake string) json.RawMessage {
	v, ok := o[snake]
	if !ok {
		v, ok = o[camelCase(snake)]
	}
	if !ok || string(v) == "null" {
		return nil
	}
	return v
}

func (o object) str(name string) (string, error) {
	v := o.raw(name)
	if v == nil {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("field %s: want a string: %w", name, err)
	}
	return s, nil
}

func (o object) strings(name string) ([]string, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	var s []string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf("field %s: want a list of strings: %w", name, err)
	}
	return s, nil
}

// int64Field reads a number that protobuf's JSON form may also write as a
// string, such as a policy version.
func (o object) int64Field(name string) (int64, error) {
	v := o.raw(name)
	if v == nil {
		return 0, nil
	}
	text := strings.Trim(string(v), `"`)
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("field %s: want an integer, got %s", name, v)
	}
	return n, nil
}

func (o object) boolField(name string) (bool, error) {
	v := o.raw(name)
	if v == nil {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, fmt.Errorf("field %s: want true or false: %w", name, err)
	}
	return b, nil
}

func (o object) child(name string) (object, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	obj, err := parseObject(v)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", name, err)
	}
	return obj, nil
}

func (o object) children(name string) ([]object, error) {
	v := o.raw(name)
	if v == nil {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v, &items); err != nil {
		return nil, fmt.Errorf("field %s: want a list of objects: %w", name, err)
	}
	out := make([]object, 0, len(items))
	for i, item := range items {
		obj, err := parseObject(item)
		if err != nil {
			return nil, fmt.Errorf("field %s[%d]: %w", name, i, err)
		}
		out = append(out, obj)
	}
	return out, nil
}

// timeField reads an RFC 3339 string or a {"seconds","nanos"} object, the
// two forms of a protobuf Timestamp in JSON.
func (o object) timeField(name string) (time.Time, error) {
	v := o.raw(name)
	if v == nil {
		return time.Time{}, nil
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("field %s: invalid timestamp %q: want RFC 3339", name, s)
		}
		return t.UTC(), nil
	}
	ts, err := parseObject(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("field %s: want an RFC 3339 string or seconds and nanos", name)
	}
	secs, err := ts.int64Field("seconds")
	if err != nil {
		return time.Time{}, fmt.Errorf("field %s: %w", name, err)
	}
	nanos, err := ts.int64Field("nanos")
	if err != nil {
		return time.Time{}, fmt.Errorf("field %s: %w", name, err)
	}
	return time.Unix(secs, nanos).UTC(), nil
}

// camelNames caches camelCase: every lookup of every asset converts one of
// a few dozen fixed field names.
var camelNames gosync.Map

func camelCase(snake string) string {
	if !strings.Contains(snake, "_") {
		return snake
	}
	if c, ok := camelNames.Load(snake); ok {
		return c.(string)
	}
	var b strings.Builder
	upper := false
	for _, r := range snake {
		if r == '_' {
			upper = true
			continue
		}
		if upper && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(r)
	}
	camelNames.Store(snake, b.String())
	return b.String()
}
