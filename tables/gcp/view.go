package gcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/internal/store"
)

// view is an asset with its resource data decoded. Numbers decode as
// float64, as they do from the protobuf Struct that the API returns, so
// rows are the same whether the asset came from the API or from a file.
type view struct {
	asset *gcpasset.Asset
	data  map[string]any
}

func newView(a *gcpasset.Asset) (*view, error) {
	v := &view{asset: a, data: map[string]any{}}
	if a.Resource != nil && len(a.Resource.Data) > 0 {
		if err := json.Unmarshal(a.Resource.Data, &v.data); err != nil {
			return nil, fmt.Errorf("resource.data: %w", err)
		}
	}
	return v, nil
}

// get returns the value at a dotted path, and false when any step is
// missing or null.
func (v *view) get(path string) (any, bool) {
	var cur any = v.data
	for _, step := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[step]
		if !ok || cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// first returns the value of the first present path.
func (v *view) first(paths ...string) (any, bool) {
	for _, p := range paths {
		if val, ok := v.get(p); ok {
			return val, true
		}
	}
	return nil, false
}

// typed reads the first present path as a value for a column type.
// Booleans that are absent are false, because Google's REST APIs leave
// out fields that hold false. Other absent values are NULL.
func (v *view) typed(typ string, paths ...string) (any, error) {
	val, ok := v.first(paths...)
	if typ == store.TypeBool {
		if !ok {
			return false, nil
		}
		b, isBool := val.(bool)
		if !isBool {
			return nil, fmt.Errorf("%s: got %v, want true or false", paths[0], val)
		}
		return b, nil
	}
	if !ok {
		return nil, nil
	}
	switch typ {
	case store.TypeText:
		return scalarText(val), nil
	case store.TypeInt:
		return toInt(val)
	case store.TypeFloat:
		switch x := val.(type) {
		case float64:
			return x, nil
		case string:
			return strconv.ParseFloat(x, 64)
		}
		return nil, fmt.Errorf("got %v, want a number", val)
	case store.TypeTimestamp:
		s, isText := val.(string)
		if !isText {
			return nil, fmt.Errorf("got %v, want an RFC 3339 timestamp", val)
		}
		return s, nil
	case store.TypeJSON:
		return encodeJSON(val)
	case store.TypeTextList:
		return textList(val), nil
	}
	return nil, fmt.Errorf("unsupported column type %s", typ)
}

func (v *view) str(paths ...string) string {
	val, ok := v.first(paths...)
	if !ok {
		return ""
	}
	return scalarText(val)
}

func (v *view) list(path string) []any {
	val, _ := v.get(path)
	items, _ := val.([]any)
	return items
}

// stringMap reads a map of strings such as labels; NULL when absent.
func (v *view) stringMap(path string) (map[string]string, error) {
	val, ok := v.get(path)
	if !ok {
		return nil, nil
	}
	m, isMap := val.(map[string]any)
	if !isMap {
		return nil, fmt.Errorf("%s: got %T, want an object of strings", path, val)
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = scalarText(x)
	}
	return out, nil
}

// rawJSON encodes the resource data with the values at the redact paths
// replaced. Keys come out sorted, so equal data gives equal text.
func (v *view) rawJSON(redact []string) (json.RawMessage, error) {
	for _, path := range redact {
		steps := strings.Split(path, ".")
		parent, ok := v.data, true
		for _, step := range steps[:len(steps)-1] {
			parent, ok = parent[step].(map[string]any)
			if !ok {
				break
			}
		}
		if ok {
			if _, present := parent[steps[len(steps)-1]]; present {
				parent[steps[len(steps)-1]] = "REDACTED"
			}
		}
	}
	return encodeJSON(v.data)
}

// location returns the asset's location: the one Cloud Asset Inventory
// reports, else the zone, region or location in its name or data, else
// "global". Locations are lowercase: the Storage API writes them in
// capitals, Cloud Asset Inventory in lowercase.
func (v *view) location() string {
	if v.asset.Resource != nil && v.asset.Resource.Location != "" {
		return strings.ToLower(v.asset.Resource.Location)
	}
	if loc := nameLocation(v.asset.Name); loc != "" {
		return loc
	}
	for _, key := range []string{"location", "zone", "region"} {
		if s, ok := v.data[key].(string); ok && s != "" {
			return strings.ToLower(lastSegment(s))
		}
	}
	return "global"
}

// nameLocation returns the zone, region or location in a resource name,
// or "" when it has none.
func nameLocation(name string) string {
	for _, kind := range []string{"locations", "zones", "regions"} {
		if _, rest, ok := strings.Cut(name, "/"+kind+"/"); ok {
			seg, _, _ := strings.Cut(rest, "/")
			if seg != "" && seg != "-" {
				return strings.ToLower(seg)
			}
		}
	}
	return ""
}

// policyLocation returns the region column of a policy row. It reads the
// resource name only, because an IAM_POLICY listing carries no resource
// data, so that live sync and import agree.
func policyLocation(name string) string {
	if loc := nameLocation(name); loc != "" {
		return loc
	}
	return "global"
}

func scalarText(val any) string {
	switch x := val.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := encodeJSON(val)
	return string(b)
}

// toInt reads an integer, which Google's REST APIs write as a string when
// it is an int64 ("sizeGb": "10") and as a number otherwise.
func toInt(val any) (any, error) {
	switch x := val.(type) {
	case float64:
		if x != math.Trunc(x) {
			return nil, fmt.Errorf("got %v, want an integer", x)
		}
		return int64(x), nil
	case string:
		if x == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("got %q, want an integer", x)
		}
		return n, nil
	}
	return nil, fmt.Errorf("got %v, want an integer", val)
}

func textList(val any) []string {
	items, ok := val.([]any)
	if !ok {
		return []string{scalarText(val)}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, scalarText(it))
	}
	return out
}

// encodeJSON encodes without HTML escaping, so that "<" in a filter stays
// readable in SQL.
func encodeJSON(val any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(val); err != nil {
		return nil, fmt.Errorf("encode JSON: %w", err)
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// lastSegment returns what follows the last "/" of a URL or resource name.
func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// lowerCamel turns a snake_case column name into the REST field name.
func lowerCamel(snake string) string {
	parts := strings.Split(snake, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
