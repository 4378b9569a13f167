package awsfile

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/middleware"
)

// state is a string enum like the SDK's.
type state string

type item struct {
	ID   *string
	Size int32
}

// sample has one field of every kind the SDK output types use.
type sample struct {
	Name     *string
	Count    *int32
	Big      int64
	Small    *int8
	Unsigned *uint16
	Ratio    *float64
	On       *bool
	Off      bool
	When     *time.Time
	Doc      *string
	Kind     state
	Tags     map[string]string
	Kinds    map[state]*item
	Items    []item
	Ptrs     []*item
	Names    []string
	Blob     []byte
	Union    interface{ isUnion() }
	Nested   *item

	ResultMetadata middleware.Metadata
}

func TestUnmarshalConversions(t *testing.T) {
	utc := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		tm = tm.UTC()
		return &tm
	}
	str := func(s string) *string { return &s }
	i32 := func(n int32) *int32 { return &n }

	tests := []struct {
		name string
		json string
		want sample
	}{
		{"exact keys", `{"Name": "a", "Count": 3}`, sample{Name: str("a"), Count: i32(3)}},
		{"keys match case-insensitively", `{"name": "a", "COUNT": 3}`, sample{Name: str("a"), Count: i32(3)}},
		{"exact case wins over folded", `{"name": "folded", "Name": "exact"}`, sample{Name: str("exact")}},
		{"unknown keys ignored", `{"Nope": {"x": [1, 2]}, "Name": "a"}`, sample{Name: str("a")}},
		{"null leaves zero", `{"Name": null, "Items": null, "Off": null}`, sample{}},
		{"top-level null", `null`, sample{}},
		{"object into string is JSON text", `{"Doc": {"Version": "2012-10-17", "Statement": [ {"Effect": "Allow"} ]}}`,
			sample{Doc: str(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`)}},
		{"array into string is JSON text", `{"Doc": [1, "two"]}`, sample{Doc: str(`[1,"two"]`)}},
		{"number into string", `{"Name": 12.50}`, sample{Name: str("12.50")}},
		{"boolean into string", `{"Name": true}`, sample{Name: str("true")}},
		{"string into int", `{"Count": "100", "Big": " 9007199254740993 "}`, sample{Count: i32(100), Big: 9007199254740993}},
		{"integral float into int", `{"Count": 16.0, "Big": 1e3}`, sample{Count: i32(16), Big: 1000}},
		{"negative into int8", `{"Small": -128}`, sample{Small: func() *int8 { v := int8(-128); return &v }()}},
		{"unsigned", `{"Unsigned": "65535"}`, sample{Unsigned: func() *uint16 { v := uint16(65535); return &v }()}},
		{"float", `{"Ratio": 0.25}`, sample{Ratio: func() *float64 { v := 0.25; return &v }()}},
		{"string into float", `{"Ratio": "1.5"}`, sample{Ratio: func() *float64 { v := 1.5; return &v }()}},
		{"booleans", `{"On": true, "Off": "TRUE"}`, sample{On: func() *bool { v := true; return &v }(), Off: true}},
		{"enum", `{"Kind": "running"}`, sample{Kind: "running"}},
		{"time with colon offset", `{"When": "2018-11-27T03:36:34+00:00"}`, sample{When: utc("2018-11-27T03:36:34Z")}},
		{"time with Z and millis", `{"When": "2020-06-19T21:20:04.664Z"}`, sample{When: utc("2020-06-19T21:20:04.664Z")}},
		{"time with micros and negative offset", `{"When": "2019-10-17T15:47:00.587000-06:00"}`, sample{When: utc("2019-10-17T21:47:00.587Z")}},
		{"time with offset without colon", `{"When": "2019-05-03T21:56:43+0000"}`, sample{When: utc("2019-05-03T21:56:43Z")}},
		{"time with fraction and offset without colon", `{"When": "2019-05-03T21:56:43.5-0130"}`, sample{When: utc("2019-05-03T23:26:43.5Z")}},
		{"time with space separator", `{"When": "2019-05-03 21:56:43+00:00"}`, sample{When: utc("2019-05-03T21:56:43Z")}},
		{"time without offset is UTC", `{"When": "2019-05-03T21:56:43"}`, sample{When: utc("2019-05-03T21:56:43Z")}},
		{"date only", `{"When": "2019-05-03"}`, sample{When: utc("2019-05-03T00:00:00Z")}},
		{"epoch seconds", `{"When": 1550000932}`, sample{When: utc("2019-02-12T19:48:52Z")}},
		{"epoch seconds with fraction", `{"When": 1550000932.25}`, sample{When: utc("2019-02-12T19:48:52.25Z")}},
		{"epoch seconds in a string", `{"When": "1550000932"}`, sample{When: utc("2019-02-12T19:48:52Z")}},
		{"map", `{"Tags": {"env": "prod", "aws:cloudformation:stack-name": "s"}}`,
			sample{Tags: map[string]string{"env": "prod", "aws:cloudformation:stack-name": "s"}}},
		{"map with enum keys", `{"Kinds": {"a": {"Size": 1}, "b": null}}`,
			sample{Kinds: map[state]*item{"a": {Size: 1}, "b": nil}}},
		{"empty map", `{"Tags": {}}`, sample{Tags: map[string]string{}}},
		{"slice of structs", `{"Items": [{"id": "x", "size": 1}, {"Size": "2"}]}`,
			sample{Items: []item{{ID: str("x"), Size: 1}, {Size: 2}}}},
		{"slice of pointers", `{"Ptrs": [{"ID": "x"}, null]}`, sample{Ptrs: []*item{{ID: str("x")}, nil}}},
		{"empty slice", `{"Names": []}`, sample{Names: []string{}}},
		{"nested struct", `{"nested": {"id": "n"}}`, sample{Nested: &item{ID: str("n")}}},
		{"base64 blob", `{"Blob": "aGVsbG8="}`, sample{Blob: []byte("hello")}},
		{"plain text blob", `{"Blob": "user,arn\nroot,arn:aws"}`, sample{Blob: []byte("user,arn\nroot,arn:aws")}},
		{"object blob is JSON text", `{"Blob": {"a": 1}}`, sample{Blob: []byte(`{"a":1}`)}},
		{"byte array blob", `{"Blob": [104, 105]}`, sample{Blob: []byte("hi")}},
		{"union skipped", `{"Union": {"Member": "x"}, "Name": "a"}`, sample{Name: str("a")}},
		{"result metadata skipped", `{"ResultMetadata": {"x": 1}}`, sample{}},
		{"surrounding whitespace", "\n\t {\"Name\": \"a\"} \n", sample{Name: str("a")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sample
			if err := Unmarshal([]byte(tt.json), &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.json, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Unmarshal(%s):\ngot  %+v\nwant %+v", tt.json, got, tt.want)
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"bad time", `{"When": "abc"}`, `When: cannot use "abc" as time`},
		{"object as time", `{"When": {}}`, `When: cannot use object as time`},
		{"word into int", `{"Count": "many"}`, `Count: cannot use "many" as integer`},
		{"fraction into int", `{"Count": 1.5}`, `Count: cannot use 1.5 as integer`},
		{"overflow int32", `{"Count": 2147483648}`, `Count: cannot use 2147483648 as integer`},
		{"overflow int8", `{"Small": 128}`, `Small: cannot use 128 as integer`},
		{"negative unsigned", `{"Unsigned": -1}`, `Unsigned: cannot use -1 as unsigned integer`},
		{"boolean into int", `{"Count": true}`, `Count: cannot use true as integer`},
		{"word into bool", `{"On": "yes"}`, `On: cannot use "yes" as boolean`},
		{"NaN into float", `{"Ratio": "NaN"}`, `Ratio: cannot use "NaN" as number`},
		{"string into struct", `{"Nested": "x"}`, `Nested: cannot use "x" as object`},
		{"object into slice", `{"Items": {}}`, `Items: cannot use object as array`},
		{"array into map", `{"Tags": []}`, `Tags: cannot use array as object`},
		{"path through slices", `{"Items": [{}, {"Size": "x"}]}`, `Items[1].Size: cannot use "x" as integer`},
		{"path through map key", `{"Tags": {"arn:aws:x": 1}, "Kinds": {"k": {"Size": []}}}`, `Kinds.k.Size: cannot use array as integer`},
		{"quoted map key", `{"Kinds": {"a b": {"Size": "x"}}}`, `Kinds["a b"].Size: cannot use "x" as integer`},
		{"top-level array", `[1]`, `top-level value: cannot use array as object`},
		{"long value shortened", `{"When": "` + strings.Repeat("x", 60) + `"}`, `When: cannot use "` + strings.Repeat("x", 39) + `... as time`},
		{"long value cut between characters", `{"When": "` + strings.Repeat("é", 30) + `"}`, `When: cannot use "` + strings.Repeat("é", 19) + `... as time`},
		{"malformed", `{"Name": "a",}`, `invalid JSON at byte offset 13 (line 1, column 14)`},
		{"truncated", `{"Name": "a"`, `invalid JSON at byte offset 12 (line 1, column 13)`},
		{"trailing data", `{"Name": "a"} x`, `invalid JSON at byte offset 14 (line 1, column 15)`},
		{"empty", ``, `invalid JSON at byte offset 0 (line 1, column 1)`},
		{"second line", "{\n  \"Name\": x}", `invalid JSON at byte offset 12 (line 2, column 11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sample
			err := Unmarshal([]byte(tt.json), &got)
			if err == nil {
				t.Fatalf("Unmarshal(%s): got no error, want %q", tt.json, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Unmarshal(%s): got error %q, want it to contain %q", tt.json, err, tt.want)
			}
		})
	}
}

func TestUnmarshalSDKPath(t *testing.T) {
	data := `{"Reservations": [{"Instances": [
		{"InstanceId": "i-1", "LaunchTime": "2018-11-27T03:36:34+00:00"},
		{"InstanceId": "i-2"},
		{"InstanceId": "i-3", "LaunchTime": "abc"}]}]}`
	var out ec2.DescribeInstancesOutput
	err := Unmarshal([]byte(data), &out)
	want := `Reservations[0].Instances[2].LaunchTime: cannot use "abc" as time`
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %q", err, want)
	}
}

func TestUnmarshalTarget(t *testing.T) {
	var s sample
	tests := []struct {
		name   string
		target any
	}{
		{"nil", nil},
		{"non-pointer", s},
		{"nil pointer", (*sample)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Unmarshal([]byte(`{}`), tt.target)
			if err == nil || !strings.Contains(err.Error(), "want a non-nil pointer") {
				t.Errorf("got error %v, want one saying a non-nil pointer is needed", err)
			}
		})
	}
}

func TestUnmarshalReportsUnknownKeys(t *testing.T) {
	var got []string
	var s sample
	data := `{"Name": "a", "Extra": 1, "Items": [{"Size": 1, "Colour": "red"}], "Tags": {"k": "v"}}`
	if err := unmarshal([]byte(data), &s, func(p string) { got = append(got, p) }); err != nil {
		t.Fatal(err)
	}
	want := []string{"Extra", "Items[0].Colour"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got unknown keys %q, want %q", got, want)
	}
}
