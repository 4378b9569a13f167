package aws

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrorCode returns the AWS error code of err ("AccessDenied",
// "NoSuchBucketPolicy", ...), or "" when err carries none.
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// IsErrorCode reports whether err carries one of the given AWS error codes.
func IsErrorCode(err error, codes ...string) bool {
	code := ErrorCode(err)
	if code == "" {
		return false
	}
	for _, c := range codes {
		if code == c {
			return true
		}
	}
	return false
}

// IsNotCollected reports whether err means that an offline source lacks the
// file for a call. Fetch functions treat a missing detail call like an
// unknown value (NULL columns), never like "not configured".
func IsNotCollected(err error) bool { return IsErrorCode(err, "NotCollected") }

// PolicyJSON returns an IAM policy document as compact JSON text. IAM
// returns documents URL-encoded (RFC 3986), other services return plain
// JSON, and CLI outputs hold decoded JSON; all three forms are accepted.
// An empty document returns nil, so the column is NULL.
func PolicyJSON(doc *string) (any, error) {
	if doc == nil || strings.TrimSpace(*doc) == "" {
		return nil, nil
	}
	text := strings.TrimSpace(*doc)
	if !strings.HasPrefix(text, "{") && !strings.HasPrefix(text, "[") {
		decoded, err := url.QueryUnescape(text)
		if err != nil {
			return nil, fmt.Errorf("decode URL-encoded policy document: %w", err)
		}
		text = decoded
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("invalid policy document %.60q: %w", text, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(out), nil
}

// Tags converts any AWS tag list (a slice of structs with Key and Value, or
// TagKey and TagValue as KMS has them) or a map of strings into a map.
func Tags(list any) map[string]string {
	rv := reflect.ValueOf(list)
	if !rv.IsValid() {
		return nil
	}
	out := map[string]string{}
	switch rv.Kind() {
	case reflect.Map:
		iter := rv.MapRange()
		for iter.Next() {
			out[fmt.Sprint(iter.Key().Interface())] = deref(iter.Value())
		}
	case reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			item := reflect.Indirect(rv.Index(i))
			if item.Kind() != reflect.Struct {
				continue
			}
			key := field(item, "Key", "TagKey")
			if key == "" {
				continue
			}
			out[key] = field(item, "Value", "TagValue")
		}
	}
	return out
}

func field(v reflect.Value, names ...string) string {
	for _, n := range names {
		f := v.FieldByName(n)
		if f.IsValid() {
			return deref(f)
		}
	}
	return ""
}

func deref(v reflect.Value) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.String {
		return v.String()
	}
	return fmt.Sprint(v.Interface())
}

// ARN builds an ARN for resources whose API returns none.
func ARN(partition, service, region, account, resource string) string {
	if partition == "" {
		partition = "aws"
	}
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partition, service, region, account, resource)
}
