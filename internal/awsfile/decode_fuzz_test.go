package awsfile

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// FuzzUnmarshal checks that Unmarshal never panics, rejects every input that
// is not valid JSON with an error naming the byte offset, and
// decodes valid input to the same value twice, whatever the order of map
// iteration.
func FuzzUnmarshal(f *testing.F) {
	seeds := []string{
		`{}`, `null`, `[]`, `"x"`, `{"Name": "a", "Count": "3", "When": 1550000932.5}`,
		`{"Items": [{"Size": 1e3}, null], "Tags": {"a": "b"}, "Doc": {"x": [1, {"y": null}]}}`,
		`{"Reservations": [{"Instances": [{"LaunchTime": "2018-11-27T03:36:34+0000", "State": {"Code": "16"}}]}]}`,
		`{"UserDetailList": [{"UserPolicyList": [{"PolicyDocument": {"Statement": []}}]}]}`,
		`{"Blob": "aGk=", "Kinds": {"k": {"ID": 5}}}`,
		`{"Count": 1.5}`, `{"When": "abc"}`, `{"Name": "a",}`, `{"Small": -129}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []func() any{
			func() any { return new(sample) },
			func() any { return new(ec2.DescribeInstancesOutput) },
			func() any { return new(iam.GetAccountAuthorizationDetailsOutput) },
		}
		for _, newTarget := range targets {
			first := newTarget()
			err := Unmarshal(data, first)
			if !json.Valid(data) {
				if err == nil {
					t.Fatalf("Unmarshal(%q) into %T: got no error for invalid JSON", data, first)
				}
				if !strings.Contains(err.Error(), "byte offset") {
					t.Fatalf("Unmarshal(%q) into %T: got error %q, want it to name the byte offset", data, first, err)
				}
				continue
			}
			if err != nil {
				continue
			}

			second := newTarget()
			if err := Unmarshal(data, second); err != nil {
				t.Fatalf("Unmarshal(%q) into %T: first call succeeded, second failed: %v", data, second, err)
			}
			if !reflect.DeepEqual(first, second) {
				t.Fatalf("Unmarshal(%q) into %T: got %+v, then %+v", data, first, first, second)
			}
		}
	})
}
