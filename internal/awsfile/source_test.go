package awsfile

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

const vpcsOne = `{"Vpcs": [{"VpcId": "vpc-1"}]}`

func TestOpenSingleAccountNamedByFolder(t *testing.T) {
	dir := writeWorld(t, map[string]string{
		"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne,
		"111122223333/eu-west-1/ec2-describe-vpcs.json": vpcsOne,
		"111122223333/notes/readme.txt":                 "not a region",
	})
	src, err := Open(filepath.Join(dir, "111122223333"))
	if err != nil {
		t.Fatal(err)
	}

	got := src.Accounts()
	want := []Account{{ID: "111122223333", Dir: filepath.Join(dir, "111122223333"), Regions: []string{"eu-west-1", "us-east-1"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Accounts: got %+v, want %+v", got, want)
	}
}

func TestOpenMultipleAccounts(t *testing.T) {
	src, dir := openWorld(t, map[string]string{
		// Named by folder.
		"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne,
		// Named by the caller identity file, in a region folder.
		"prod/describe-regions.json":                  `{"Regions": [{"RegionName": "eu-west-1"}]}`,
		"prod/eu-west-1/sts-get-caller-identity.json": `{"Account": "444455556666"}`,
		"prod/eu-west-1/ec2-describe-vpcs.json":       `{"Vpcs": [{"VpcId": "vpc-a"}, {"VpcId": "vpc-b"}]}`,
		// Neither an account nor an error.
		"notes/readme.txt": "hello",
	})

	got := src.Accounts()
	want := []Account{
		{ID: "111122223333", Dir: filepath.Join(dir, "111122223333"), Regions: []string{"us-east-1"}},
		{ID: "444455556666", Dir: filepath.Join(dir, "prod"), Regions: []string{"eu-west-1"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Accounts: got %+v, want %+v", got, want)
	}

	// Each account's calls read its own folder.
	for _, tt := range []struct {
		account, region string
		vpcs            int
	}{
		{"111122223333", "us-east-1", 1},
		{"444455556666", "eu-west-1", 2},
	} {
		cfg, err := src.Config(tt.account, tt.region)
		if err != nil {
			t.Fatal(err)
		}
		out, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
		if err != nil {
			t.Fatalf("%s DescribeVpcs: %v", tt.account, err)
		}
		if len(out.Vpcs) != tt.vpcs {
			t.Errorf("%s DescribeVpcs: got %d VPCs, want %d", tt.account, len(out.Vpcs), tt.vpcs)
		}
	}

	// Accounts returns a copy.
	src.Accounts()[0].Regions[0] = "changed"
	if src.Accounts()[0].Regions[0] != "us-east-1" {
		t.Error("Accounts: changing the result changed the source")
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		open  string // folder to open, relative to the world
		want  string
	}{
		{"missing folder", nil, "absent", "no such file or directory"},
		{"file instead of folder", map[string]string{"f.json": "{}"}, "f.json", "not a folder"},
		{"no account data", map[string]string{"notes/readme.txt": "x"}, ".", "no account data: want describe-regions.json or region folders"},
		{"no account ID", map[string]string{"prod/us-east-1/ec2-describe-vpcs.json": vpcsOne}, ".",
			filepath.Join("prod", "us-east-1", "sts-get-caller-identity.json") + ` with {"Account": "123456789012"} or rename the folder`},
		{"no account ID names the folder", map[string]string{"prod/us-east-1/ec2-describe-vpcs.json": vpcsOne}, ".",
			`no sts-get-caller-identity.json and the folder name "prod" is not a 12-digit account ID`},
		{"identity without account", map[string]string{"prod/us-east-1/sts-get-caller-identity.json": `{"Arn": "x"}`}, ".",
			`no "Account" field`},
		{"malformed identity", map[string]string{"prod/us-east-1/sts-get-caller-identity.json": `{"Account": }`}, ".",
			filepath.Join("prod", "us-east-1", "sts-get-caller-identity.json") + ": invalid JSON at byte offset 12"},
		{"conflicting identities", map[string]string{
			"prod/sts-get-caller-identity.json":           `{"Account": "111122223333"}`,
			"prod/eu-west-1/sts-get-caller-identity.json": `{"Account": "444455556666"}`,
		}, ".", `has "111122223333" but`},
		{"duplicate account", map[string]string{
			"a/us-east-1/sts-get-caller-identity.json": `{"Account": "111122223333"}`,
			"b/us-east-1/sts-get-caller-identity.json": `{"Account": "111122223333"}`,
		}, ".", "account 111122223333 is in both"},
		{"malformed errors file", map[string]string{
			"111122223333/_errors.json":     `{"*": `,
			"111122223333/us-east-1/x.json": `{}`,
		}, ".", filepath.Join("111122223333", "_errors.json") + ": invalid JSON"},
		{"errors file unknown service", map[string]string{
			"111122223333/us-east-1/_errors.json": `{"sqs": {"code": "AccessDenied"}}`,
		}, ".", `unknown service "sqs"`},
		{"errors file unknown operation", map[string]string{
			"111122223333/us-east-1/_errors.json": `{"s3:GetBucketPolicies": {"code": "AccessDenied"}}`,
		}, ".", `s3 has no operation "GetBucketPolicies"`},
		{"errors file without code", map[string]string{
			"111122223333/us-east-1/_errors.json": `{"s3": {"message": "x"}}`,
		}, ".", `key "s3" has no "code"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeWorld(t, tt.files)
			_, err := Open(filepath.Join(dir, tt.open))
			if err == nil {
				t.Fatalf("Open: got no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: got error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOpenFS(t *testing.T) {
	fsys := fstest.MapFS{
		"world/123456789012/us-east-1/ec2-describe-vpcs.json": {Data: []byte(vpcsOne)},
		"world/123456789012/us-east-1/s3-list-buckets.json":   {Data: []byte(`{"Buckets": [{"Name": "b"}]}`)},
	}
	src, err := OpenFS(fsys, "world")
	if err != nil {
		t.Fatal(err)
	}
	want := []Account{{ID: "123456789012", Dir: "world/123456789012", Regions: []string{"us-east-1"}}}
	if got := src.Accounts(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Accounts: got %+v, want %+v", got, want)
	}

	cfg, err := src.Config("123456789012", "global")
	if err != nil {
		t.Fatal(err)
	}
	out, err := s3.NewFromConfig(cfg).ListBuckets(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Buckets) != 1 || aws.ToString(out.Buckets[0].Name) != "b" {
		t.Errorf("ListBuckets: got %+v, want one bucket named b", out.Buckets)
	}

	_, err = s3.NewFromConfig(cfg).GetBucketPolicy(context.Background(), &s3.GetBucketPolicyInput{Bucket: aws.String("b")})
	var nc *NotCollectedError
	if !errors.As(err, &nc) || nc.Path != "world/123456789012/us-east-1/s3-get-bucket-policy/b" {
		t.Errorf("GetBucketPolicy: got error %v, want NotCollected for world/123456789012/us-east-1/s3-get-bucket-policy/b", err)
	}

	for _, root := range []string{"/world", "../world"} {
		if _, err := OpenFS(fsys, root); err == nil || !strings.Contains(err.Error(), "invalid fs.FS path") {
			t.Errorf("OpenFS(%q): got error %v, want an invalid path error", root, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	src, _ := openWorld(t, map[string]string{"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne})
	tests := []struct {
		account, region, want string
	}{
		{"999999999999", "us-east-1", `account "999999999999" not found; the data folder has 111122223333`},
		{"111122223333", "", `invalid region ""`},
		{"111122223333", "../444455556666/us-east-1", `invalid region "../444455556666/us-east-1"`},
		{"111122223333", "US-EAST-1", `invalid region "US-EAST-1"`},
	}
	for _, tt := range tests {
		_, err := src.Config(tt.account, tt.region)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Config(%q, %q): got error %v, want %q", tt.account, tt.region, err, tt.want)
		}
	}
}

func TestNotCollected(t *testing.T) {
	src, dir := openWorld(t, map[string]string{
		"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne,
		"111122223333/eu-west-1/ec2-describe-vpcs.json": vpcsOne,
	})
	acct := filepath.Join(dir, "111122223333")
	ctx := context.Background()

	tests := []struct {
		name   string
		region string
		call   func(aws.Config) error
		op     string
		path   string
	}{
		{"flat file", "us-east-1", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, nil)
			return err
		}, "DescribeInstances", filepath.Join(acct, "us-east-1", "ec2-describe-instances.json")},
		{"region without folder", "ap-south-1", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, nil)
			return err
		}, "DescribeVpcs", filepath.Join(acct, "ap-south-1", "ec2-describe-vpcs.json")},
		{"per-resource file", "eu-west-1", func(cfg aws.Config) error {
			_, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("a/b")})
			return err
		}, "GetRole", filepath.Join(acct, "us-east-1", "iam-get-role", "a%2Fb")},
		{"resource that would climb", "us-east-1", func(cfg aws.Config) error {
			_, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("..")})
			return err
		}, "GetRole", filepath.Join(acct, "us-east-1", "iam-get-role") + string(filepath.Separator) + ".."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := src.Config("111122223333", tt.region)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(cfg)
			if !errors.Is(err, ErrNotCollected) {
				t.Fatalf("got error %v, want one wrapping ErrNotCollected", err)
			}

			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got error %T, want a smithy.APIError", err)
			}
			if apiErr.ErrorCode() != "NotCollected" {
				t.Errorf("ErrorCode: got %q, want NotCollected", apiErr.ErrorCode())
			}
			if !strings.Contains(apiErr.ErrorMessage(), tt.path) {
				t.Errorf("ErrorMessage: got %q, want it to name %s", apiErr.ErrorMessage(), tt.path)
			}

			var nc *NotCollectedError
			if !errors.As(err, &nc) {
				t.Fatalf("got error %T, want a *NotCollectedError", err)
			}
			if nc.Path != tt.path || nc.Operation != tt.op {
				t.Errorf("got path %s and operation %s, want %s and %s", nc.Path, nc.Operation, tt.path, tt.op)
			}
		})
	}
}

func TestDeclaredErrors(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		"111122223333/_errors.json": `{
			"guardduty": {"code": "SubscriptionRequiredException", "message": "no GuardDuty"},
			"ec2:describe-security-groups": {"code": "UnauthorizedOperation", "message": "root says no"}
		}`,
		"111122223333/eu-west-1/_errors.json":           `{"*": {"code": "AccessDenied", "message": "denied by SCP"}}`,
		"111122223333/eu-west-1/ec2-describe-vpcs.json": vpcsOne,
		"111122223333/us-east-1/_errors.json": `{
			"ec2:DescribeSecurityGroups": {"code": "Throttling", "message": "region rule wins"},
			"s3:GetBucketPolicy:logs": {"code": "NoSuchBucketPolicy", "message": "The bucket policy does not exist"}
		}`,
		"111122223333/us-east-1/ec2-describe-vpcs.json":            vpcsOne,
		"111122223333/us-east-1/ec2-describe-security-groups.json": `{"SecurityGroups": []}`,
		"111122223333/us-east-1/s3-get-bucket-policy/logs":         `{"Policy": "{}"}`,
		"111122223333/us-east-1/s3-get-bucket-policy/web":          `{"Policy": "{}"}`,
	})
	ctx := context.Background()

	tests := []struct {
		name     string
		region   string
		call     func(aws.Config) error
		wantCode string // "" for success
		wantMsg  string
	}{
		{"region wildcard", "eu-west-1", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, nil)
			return err
		}, "AccessDenied", "denied by SCP"},
		{"other region unaffected", "us-east-1", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, nil)
			return err
		}, "", ""},
		{"account service rule in every region", "us-east-1", func(cfg aws.Config) error {
			_, err := guardduty.NewFromConfig(cfg).ListDetectors(ctx, nil)
			return err
		}, "SubscriptionRequiredException", "no GuardDuty"},
		{"region rule over account rule, over file", "us-east-1", func(cfg aws.Config) error {
			_, err := ec2.NewFromConfig(cfg).DescribeSecurityGroups(ctx, nil)
			return err
		}, "Throttling", "region rule wins"},
		{"resource rule", "us-east-1", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("logs")})
			return err
		}, "NoSuchBucketPolicy", "The bucket policy does not exist"},
		{"other resource unaffected", "us-east-1", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("web")})
			return err
		}, "", ""},
		{"global service uses the us-east-1 rules", "eu-west-1", func(cfg aws.Config) error {
			_, err := s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("logs")})
			return err
		}, "NoSuchBucketPolicy", "The bucket policy does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := src.Config("111122223333", tt.region)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.call(cfg)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got error %v, want a smithy.APIError", err)
			}
			if apiErr.ErrorCode() != tt.wantCode {
				t.Errorf("ErrorCode: got %q, want %q", apiErr.ErrorCode(), tt.wantCode)
			}
			if apiErr.ErrorMessage() != tt.wantMsg {
				t.Errorf("ErrorMessage: got %q, want %q", apiErr.ErrorMessage(), tt.wantMsg)
			}
			if errors.Is(err, ErrNotCollected) {
				t.Error("a declared error wraps ErrNotCollected, want it not to")
			}
		})
	}
}

func TestResponseFileErrors(t *testing.T) {
	src, dir := openWorld(t, map[string]string{
		"111122223333/us-east-1/ec2-describe-vpcs.json":      "{\n  \"Vpcs\": [\n    {\"VpcId\": \"vpc-1\",}\n  ]\n}",
		"111122223333/us-east-1/ec2-describe-instances.json": `{"Reservations": [{"Instances": [{"LaunchTime": "yesterday"}]}]}`,
	})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	client := ec2.NewFromConfig(cfg)
	ctx := context.Background()

	_, err = client.DescribeVpcs(ctx, nil)
	wantFile := filepath.Join(dir, "111122223333", "us-east-1", "ec2-describe-vpcs.json")
	want := "decode " + wantFile + ": invalid JSON at byte offset 36 (line 3, column 23)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("DescribeVpcs: got error %v, want it to contain %q", err, want)
	}
	if errors.Is(err, ErrNotCollected) {
		t.Error("DescribeVpcs: a malformed file is reported as not collected")
	}

	_, err = client.DescribeInstances(ctx, nil)
	want = `ec2-describe-instances.json: Reservations[0].Instances[0].LaunchTime: cannot use "yesterday" as time`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("DescribeInstances: got error %v, want it to contain %q", err, want)
	}
}

func TestResponseFileVariants(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		// Flat file without .json, per-resource file with .json, empty file.
		"111122223333/us-east-1/ec2-describe-vpcs":                  vpcsOne,
		"111122223333/us-east-1/iam-get-role/admin.json":            `{"Role": {"RoleName": "admin"}}`,
		"111122223333/us-east-1/ec2-describe-subnets.json":          "  \n",
		"111122223333/us-east-1/s3-get-bucket-policy/b%2Fc":         `{"Policy": "escaped"}`,
		"111122223333/us-east-1/s3-get-bucket-policy/placeholder/x": `{}`,
	})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	vpcs, err := ec2.NewFromConfig(cfg).DescribeVpcs(ctx, nil)
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Errorf("DescribeVpcs from a file without .json: got %v VPCs and error %v, want 1 and none", vpcs, err)
	}
	role, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("admin")})
	if err != nil || aws.ToString(role.Role.RoleName) != "admin" {
		t.Errorf("GetRole from a file with .json: got %v and error %v, want role admin", role, err)
	}
	subnets, err := ec2.NewFromConfig(cfg).DescribeSubnets(ctx, nil)
	if err != nil || len(subnets.Subnets) != 0 {
		t.Errorf("DescribeSubnets from an empty file: got %v and error %v, want an empty response", subnets, err)
	}
	policy, err := s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("b/c")})
	if err != nil || aws.ToString(policy.Policy) != "escaped" {
		t.Errorf("GetBucketPolicy of an escaped name: got %v and error %v, want policy \"escaped\"", policy, err)
	}
	// A folder where a file is expected is not a response.
	_, err = s3.NewFromConfig(cfg).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("placeholder")})
	if !errors.Is(err, ErrNotCollected) {
		t.Errorf("GetBucketPolicy where a folder stands: got error %v, want ErrNotCollected", err)
	}
}

func TestPaginatorsStopAfterOnePage(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		"111122223333/us-east-1/iam-list-users.json":    `{"Users": [{"UserName": "a"}, {"UserName": "b"}], "IsTruncated": true, "Marker": "page2"}`,
		"111122223333/us-east-1/ec2-describe-vpcs.json": `{"Vpcs": [{"VpcId": "vpc-1"}], "NextToken": "page2"}`,
		"111122223333/us-east-1/s3-list-buckets.json":   `{"Buckets": [{"Name": "a"}], "ContinuationToken": "page2"}`,
	})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	pages, users := 0, 0
	userPages := iam.NewListUsersPaginator(iam.NewFromConfig(cfg), &iam.ListUsersInput{})
	for userPages.HasMorePages() && pages < 5 {
		out, err := userPages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if out.IsTruncated || out.Marker != nil {
			t.Errorf("ListUsers: got IsTruncated %v and Marker %v, want false and nil", out.IsTruncated, aws.ToString(out.Marker))
		}
		pages++
		users += len(out.Users)
	}
	if pages != 1 || users != 2 {
		t.Errorf("ListUsers paginator: got %d pages and %d users, want 1 and 2", pages, users)
	}

	pages = 0
	vpcPages := ec2.NewDescribeVpcsPaginator(ec2.NewFromConfig(cfg), &ec2.DescribeVpcsInput{})
	for vpcPages.HasMorePages() && pages < 5 {
		if _, err := vpcPages.NextPage(ctx); err != nil {
			t.Fatal(err)
		}
		pages++
	}
	if pages != 1 {
		t.Errorf("DescribeVpcs paginator: got %d pages, want 1", pages)
	}

	pages = 0
	bucketPages := s3.NewListBucketsPaginator(s3.NewFromConfig(cfg), &s3.ListBucketsInput{})
	for bucketPages.HasMorePages() && pages < 5 {
		if _, err := bucketPages.NextPage(ctx); err != nil {
			t.Fatal(err)
		}
		pages++
	}
	if pages != 1 {
		t.Errorf("ListBuckets paginator: got %d pages, want 1", pages)
	}
}

func TestClientRegionOption(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		"111122223333/us-east-1/ec2-describe-vpcs.json":          vpcsOne,
		"111122223333/eu-west-1/ec2-describe-vpcs.json":          `{"Vpcs": [{"VpcId": "vpc-a"}, {"VpcId": "vpc-b"}]}`,
		"111122223333/us-east-1/cloudtrail-describe-trails.json": `{"trailList": [{"Name": "east"}]}`,
		"111122223333/eu-west-1/cloudtrail-describe-trails.json": `{"trailList": [{"Name": "west"}]}`,
	})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	west := func(region string) string { return "eu-west-1" }

	vpcs, err := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = west(o.Region) }).DescribeVpcs(ctx, nil)
	if err != nil || len(vpcs.Vpcs) != 2 {
		t.Errorf("DescribeVpcs with client region eu-west-1: got %v and error %v, want the 2 eu-west-1 VPCs", vpcs, err)
	}

	_, err = ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.Region = "../eu-west-1" }).DescribeVpcs(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), `invalid region "../eu-west-1"`) {
		t.Errorf("DescribeVpcs with client region ../eu-west-1: got error %v, want an invalid region error", err)
	}

	// CloudTrail's client records its region in a stack middleware only.
	trails, err := cloudtrail.NewFromConfig(cfg, func(o *cloudtrail.Options) { o.Region = west(o.Region) }).DescribeTrails(ctx, nil)
	if err != nil || len(trails.TrailList) != 1 || aws.ToString(trails.TrailList[0].Name) != "west" {
		t.Errorf("DescribeTrails with client region eu-west-1: got %v and error %v, want trail west", trails, err)
	}
	trails, err = cloudtrail.NewFromConfig(cfg).DescribeTrails(ctx, nil)
	if err != nil || len(trails.TrailList) != 1 || aws.ToString(trails.TrailList[0].Name) != "east" {
		t.Errorf("DescribeTrails: got %v and error %v, want trail east", trails, err)
	}
}

func TestGlobalServicesReadUSEast1(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		"111122223333/us-east-1/sts-get-caller-identity.json": `{"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/auditor"}`,
		"111122223333/eu-west-1/ec2-describe-vpcs.json":       vpcsOne,
	})
	for _, region := range []string{"global", "us-east-1", "eu-west-1"} {
		cfg, err := src.Config("111122223333", region)
		if err != nil {
			t.Fatal(err)
		}
		out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), nil)
		if err != nil {
			t.Errorf("GetCallerIdentity in %s: %v", region, err)
			continue
		}
		if aws.ToString(out.Account) != "111122223333" {
			t.Errorf("GetCallerIdentity in %s: got account %q, want 111122223333", region, aws.ToString(out.Account))
		}
	}
}

func TestGovCloudGlobalFolder(t *testing.T) {
	src, dir := openWorld(t, map[string]string{
		"111122223333/us-gov-west-1/iam-list-users.json": `{"Users": [{"UserName": "gov"}]}`,
	})
	cfg, err := src.Config("111122223333", "us-gov-east-1")
	if err != nil {
		t.Fatal(err)
	}
	out, err := iam.NewFromConfig(cfg).ListUsers(context.Background(), nil)
	if err != nil || len(out.Users) != 1 {
		t.Errorf("ListUsers: got %v and error %v, want the user from us-gov-west-1 (under %s)", out, err, dir)
	}
}

func TestUnsupportedServiceNeverReachesNetwork(t *testing.T) {
	src, _ := openWorld(t, map[string]string{"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sso.NewFromConfig(cfg).ListAccounts(context.Background(), &sso.ListAccountsInput{AccessToken: aws.String("t")})
	if err == nil || !strings.Contains(err.Error(), `SDK service "SSO" has no offline support`) {
		t.Errorf("sso ListAccounts: got error %v, want one saying SSO has no offline support", err)
	}

	req, err := http.NewRequest(http.MethodGet, "https://example.invalid/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.HTTPClient.Do(req); !errors.Is(err, errNetworkDisabled) {
		t.Errorf("HTTPClient.Do: got error %v, want errNetworkDisabled", err)
	}
}

func TestOpenRelativeAndDotFolder(t *testing.T) {
	dir := writeWorld(t, map[string]string{"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne})
	t.Chdir(filepath.Join(dir, "111122223333"))
	src, err := Open(".")
	if err != nil {
		t.Fatal(err)
	}
	if got := src.Accounts(); len(got) != 1 || got[0].ID != "111122223333" || got[0].Dir != "." {
		t.Errorf("Accounts: got %+v, want account 111122223333 in folder .", got)
	}
	if _, err := os.Stat(filepath.Join(src.Accounts()[0].Dir, "us-east-1")); err != nil {
		t.Errorf("account Dir is not usable as a path: %v", err)
	}
}

func TestConcurrentCalls(t *testing.T) {
	src, _ := openWorld(t, map[string]string{
		"111122223333/us-east-1/ec2-describe-vpcs.json": vpcsOne,
		"111122223333/us-east-1/s3-list-buckets.json":   `{"Buckets": [{"Name": "a"}, {"Name": "b"}]}`,
	})
	cfg, err := src.Config("111122223333", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	ec2Client, s3Client := ec2.NewFromConfig(cfg), s3.NewFromConfig(cfg)

	errs := make(chan error, 16)
	for i := 0; i < cap(errs); i++ {
		go func() {
			ctx := context.Background()
			vpcs, err := ec2Client.DescribeVpcs(ctx, nil)
			if err == nil && len(vpcs.Vpcs) != 1 {
				err = fmt.Errorf("DescribeVpcs: got %d VPCs, want 1", len(vpcs.Vpcs))
			}
			if err == nil {
				var buckets *s3.ListBucketsOutput
				buckets, err = s3Client.ListBuckets(ctx, nil)
				if err == nil && len(buckets.Buckets) != 2 {
					err = fmt.Errorf("ListBuckets: got %d buckets, want 2", len(buckets.Buckets))
				}
			}
			errs <- err
		}()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
