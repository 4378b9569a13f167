package awsfile

import (
	"bufio"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
)

func TestKebabName(t *testing.T) {
	tests := []struct {
		op   string
		want string
	}{
		{"GetBucketPolicy", "get-bucket-policy"},
		{"GetBucketAcl", "get-bucket-acl"},
		{"DescribeDBInstances", "describe-db-instances"},
		{"DescribeDBSnapshotAttributes", "describe-db-snapshot-attributes"},
		{"ListMFADevices", "list-mfa-devices"},
		{"ListVirtualMFADevices", "list-virtual-mfa-devices"},
		{"ListSAMLProviders", "list-saml-providers"},
		{"GetSAMLProvider", "get-saml-provider"},
		{"ListOpenIDConnectProviders", "list-open-id-connect-providers"},
		{"ListSSHPublicKeys", "list-ssh-public-keys"},
		{"GetAccountAuthorizationDetails", "get-account-authorization-details"},
		{"GenerateServiceLastAccessedDetails", "generate-service-last-accessed-details"},
		{"AssignIpv6Addresses", "assign-ipv6-addresses"},
		{"DescribeVpcEndpoints", "describe-vpc-endpoints"},
		{"ListWebACLs", "list-web-acls"},
		{"GetCallerIdentity", "get-caller-identity"},
		{"DescribeRegions", "describe-regions"},
		{"GetEbsEncryptionByDefault", "get-ebs-encryption-by-default"},
		{"DescribeDBClusterParameterGroups", "describe-db-cluster-parameter-groups"},
		{"already-kebab", "already-kebab"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := kebabName(tt.op); got != tt.want {
			t.Errorf("kebabName(%q): got %q, want %q", tt.op, got, tt.want)
		}
	}
}

// TestKebabNameMatchesBotocore checks kebabName against the CLI names that
// botocore derives for every operation of every service awsfile serves.
func TestKebabNameMatchesBotocore(t *testing.T) {
	f, err := os.Open("testdata/cli_names.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	checked := 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Fields(line)
		if len(cols) != 3 {
			t.Fatalf("testdata/cli_names.txt: line %q: got %d columns, want 3", line, len(cols))
		}
		svc, ok := serviceByCLIName(cols[0])
		if !ok {
			t.Fatalf("testdata/cli_names.txt: service %q is not in the services table", cols[0])
		}
		// Operations newer or older than the SDK version in go.mod are skipped.
		if _, ok := svc.outputType(cols[1]); !ok {
			continue
		}
		if got := kebabName(cols[1]); got != cols[2] {
			t.Errorf("kebabName(%q): got %q, want %q", cols[1], got, cols[2])
		}
		checked++
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 1500 {
		t.Errorf("checked %d operations, want at least 1500; do the SDK modules match testdata/cli_names.txt?", checked)
	}
}

func TestServicesTableCoversEveryClient(t *testing.T) {
	for id, svc := range services {
		if svc.client.Kind() != reflect.Pointer || svc.client.Elem().Name() != "Client" {
			t.Errorf("service %q: got client type %v, want a *Client", id, svc.client)
		}
		if _, ok := svc.outputType("NoSuchOperation"); ok {
			t.Errorf("service %q: outputType found NoSuchOperation", id)
		}
	}
	if got, ok := services["S3"].outputType("GetBucketPolicy"); !ok || got != reflect.TypeOf(s3.GetBucketPolicyOutput{}) {
		t.Errorf("S3 GetBucketPolicy output: got %v, want s3.GetBucketPolicyOutput", got)
	}
	if _, ok := services["S3"].outputType("Options"); ok {
		t.Error("S3 Options: got an operation, want none: it is not an API call")
	}
}

func TestResourceValues(t *testing.T) {
	tests := []struct {
		name    string
		service string
		op      string
		input   any
		want    []string
	}{
		{"no input", "s3", "ListBuckets", nil, nil},
		{"typed nil input", "s3", "ListBuckets", (*s3.ListBucketsInput)(nil), nil},
		{"no parameters", "s3", "ListBuckets", &s3.ListBucketsInput{}, nil},
		{"bucket", "s3", "GetBucketPolicy", &s3.GetBucketPolicyInput{Bucket: aws.String("b1")}, []string{"b1"}},
		{"bucket owner guard ignored", "s3", "GetBucketPolicy",
			&s3.GetBucketPolicyInput{Bucket: aws.String("b1"), ExpectedBucketOwner: aws.String("111122223333")}, []string{"b1"}},
		{"empty string is unset", "s3", "GetBucketPolicy", &s3.GetBucketPolicyInput{Bucket: aws.String("")}, nil},
		{"pagination ignored", "iam", "ListUsers",
			&iam.ListUsersInput{Marker: aws.String("m"), MaxItems: aws.Int32(10)}, nil},
		{"role name", "iam", "GetRole", &iam.GetRoleInput{RoleName: aws.String("admin")}, []string{"admin"}},
		{"override drops policy name", "kms", "GetKeyPolicy",
			&kms.GetKeyPolicyInput{KeyId: aws.String("k1"), PolicyName: aws.String("default")}, []string{"k1"}},
		{"override keeps order", "iam", "GetRolePolicy",
			&iam.GetRolePolicyInput{PolicyName: aws.String("p"), RoleName: aws.String("r")}, []string{"r", "p"}},
		{"override skips unset", "lambda", "GetPolicy", &lambda.GetPolicyInput{FunctionName: aws.String("f")}, []string{"f"}},
		{"enum field ignored", "ec2", "DescribeSnapshotAttribute",
			&ec2.DescribeSnapshotAttributeInput{SnapshotId: aws.String("snap-1"), Attribute: "createVolumePermission"}, []string{"snap-1"}},
		{"list field ignored", "ec2", "DescribeSnapshots", &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}, nil},
		{"account ID is a resource", "s3control", "GetPublicAccessBlock",
			&s3control.GetPublicAccessBlockInput{AccountId: aws.String("111122223333")}, []string{"111122223333"}},
		{"several in struct order", "logs", "DescribeMetricFilters",
			&cloudwatchlogs.DescribeMetricFiltersInput{MetricName: aws.String("m"), LogGroupName: aws.String("g")}, []string{"g", "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resourceValues(tt.service, tt.op, tt.input)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEscapeSegment(t *testing.T) {
	tests := []struct {
		value string
		want  string
	}{
		// File names from CloudMapper's demo data.
		{"cloudmapper_demo", "cloudmapper_demo"},
		{"arn:aws:iam::123456789012:role/service-role/level1", "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fservice-role%2Flevel1"},
		{"https://queue.amazonaws.com/123456789012/demo", "https%3A%2F%2Fqueue.amazonaws.com%2F123456789012%2Fdemo"},
		{"a2b53fd9-88bc-d0b5-1b9a-af9c4af22374", "a2b53fd9-88bc-d0b5-1b9a-af9c4af22374"},
		// quote_plus encodes a space as "+" and keeps only "_.-~" unescaped.
		{"a b", "a+b"},
		{"a*b+c", "a%2Ab%2Bc"},
		{"x.y~z", "x.y~z"},
		{"../etc", "..%2Fetc"},
	}
	for _, tt := range tests {
		if got := escapeSegment(tt.value); got != tt.want {
			t.Errorf("escapeSegment(%q): got %q, want %q", tt.value, got, tt.want)
		}
	}
}
