package drift

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"unicode"

	"github.com/stance-cspm/stance/tables"
)

// rawTagLists are the normalized names of the fields under raw that hold
// a resource's tags as the API returns them, such as Tags or TagSet.
var rawTagLists = map[string]bool{"tags": true, "tagset": true, "taglist": true}

// hideRawMirrors returns the fields of one changed resource without the
// fields under raw that repeat the change of a modelled column, and the
// number of fields it left out. Every change under raw that no modelled
// field repeats stays.
//
// A raw field repeats a modelled field when both have the same old and
// new values and the raw path ends like the column's path. The column's
// name, with underscores and case ignored, must end the raw path's part
// before that common end. So raw.PolicyStatus.IsPublic repeats
// policy_status_is_public, and raw.Policy.Statement[1] repeats
// policy.Statement[1]. The tags column models the whole tag list, so a
// change of the tags column covers every change under raw.Tags (or
// raw.TagSet, raw.TagList).
func hideRawMirrors(fields []Field) ([]Field, int) {
	var modelled []Field
	tagsChanged := false
	for _, f := range fields {
		column, _ := splitColumn(f.Path)
		switch column {
		case tables.ColRaw:
		case tables.ColTags:
			tagsChanged = true
		default:
			modelled = append(modelled, f)
		}
	}
	if len(modelled) == 0 && !tagsChanged {
		return fields, 0
	}

	out := make([]Field, 0, len(fields))
	hidden := 0
	for _, f := range fields {
		if column, _ := splitColumn(f.Path); column == tables.ColRaw && repeatsModelled(f, modelled, tagsChanged) {
			hidden++
			continue
		}
		out = append(out, f)
	}
	return out, hidden
}

// repeatsModelled reports whether the raw field raw repeats one of the
// modelled fields, or lies under the raw tag list while tags changed.
func repeatsModelled(raw Field, modelled []Field, tagsChanged bool) bool {
	_, rawRest := splitColumn(raw.Path)
	if tagsChanged {
		first, _ := splitColumn(strings.TrimPrefix(rawRest, "."))
		if rawTagLists[normalizeName(first)] {
			return true
		}
	}
	for _, m := range modelled {
		column, rest := splitColumn(m.Path)
		if !strings.HasSuffix(rawRest, rest) {
			continue
		}
		prefix := normalizeName(strings.TrimSuffix(rawRest, rest))
		name := normalizeName(column)
		if name == "" || !strings.HasSuffix(prefix, name) {
			continue
		}
		if sameJSON(raw.Old, m.Old) && sameJSON(raw.New, m.New) {
			return true
		}
	}
	return false
}

// splitColumn splits a field path into its column and the JSON path
// below it: "policy.Statement[0]" gives "policy" and ".Statement[0]".
func splitColumn(path string) (column, rest string) {
	i := strings.IndexAny(path, ".[")
	if i < 0 {
		return path, ""
	}
	return path[:i], path[i:]
}

// arrayIndex matches the index steps of a JSON path, such as [0].
var arrayIndex = regexp.MustCompile(`\[[^\]]*\]`)

// normalizeName returns a path or column name without array indexes, in
// lower case and with letters and digits only, so that the raw path
// PolicyStatus.IsPublic and the column policy_status_is_public compare
// equal.
func normalizeName(s string) string {
	s = arrayIndex.ReplaceAllString(s, "")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// sameJSON reports whether two JSON values are equal, whatever their
// spacing and key order. Two absent values are equal.
func sameJSON(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
