package awsfile

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const demoAccount = "123456789012"

// demoConfig opens the demo data and returns a config for one region.
func demoConfig(t *testing.T, region string) aws.Config {
	t.Helper()
	src, err := Open(demoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := src.Config(demoAccount, region)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readDemoJSON decodes one demo file with encoding/json, to compare with
// what the SDK call returned.
func readDemoJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(demoDir(t), filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDemoAccounts(t *testing.T) {
	src, err := Open(demoDir(t))
	if err != nil {
		t.Fatal(err)
	}
	got := src.Accounts()
	if len(got) != 1 || got[0].ID != demoAccount || !reflect.DeepEqual(got[0].Regions, []string{"us-east-1"}) {
		t.Errorf("Accounts: got %+v, want account %s with region us-east-1", got, demoAccount)
	}
}

func TestDemoS3(t *testing.T) {
	cfg := demoConfig(t, "global")
	client := s3.NewFromConfig(cfg)
	ctx := context.Background()

	buckets, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(buckets.Buckets) != 1 {
		t.Fatalf("ListBuckets: got %d buckets, want 1", len(buckets.Buckets))
	}
	b := buckets.Buckets[0]
	if aws.ToString(b.Name) != "cloudmapper_demo" {
		t.Errorf("bucket name: got %q, want cloudmapper_demo", aws.ToString(b.Name))
	}
	if want := time.Date(2018, 11, 20, 19, 50, 8, 0, time.UTC); !aws.ToTime(b.CreationDate).Equal(want) {
		t.Errorf("bucket creation date: got %v, want %v", aws.ToTime(b.CreationDate), want)
	}
	if aws.ToString(buckets.Owner.DisplayName) != "cloudmapper" {
		t.Errorf("owner: got %q, want cloudmapper", aws.ToString(buckets.Owner.DisplayName))
	}

	bucket := &s3.GetBucketPolicyInput{Bucket: b.Name}
	policy, err := client.GetBucketPolicy(ctx, bucket)
	if err != nil {
		t.Fatal(err)
	}
	want := readDemoJSON(t, "us-east-1/s3-get-bucket-policy/cloudmapper_demo")["Policy"]
	if aws.ToString(policy.Policy) != want {
		t.Errorf("GetBucketPolicy: got %q, want %q", aws.ToString(policy.Policy), want)
	}

	acl, err := client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b.Name})
	if err != nil {
		t.Fatal(err)
	}
	if len(acl.Grants) != 1 || acl.Grants[0].Permission != "FULL_CONTROL" || acl.Grants[0].Grantee.Type != "CanonicalUser" {
		t.Errorf("GetBucketAcl: got %+v, want one FULL_CONTROL grant to a CanonicalUser", acl.Grants)
	}

	location, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b.Name})
	if err != nil {
		t.Fatal(err)
	}
	if location.LocationConstraint != "" {
		t.Errorf("GetBucketLocation: got %q, want \"\" (us-east-1 is null)", location.LocationConstraint)
	}
}

func TestDemoEC2(t *testing.T) {
	cfg := demoConfig(t, "us-east-1")
	client := ec2.NewFromConfig(cfg)
	ctx := context.Background()

	pages := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{})
	var instances []string
	var first *ec2.DescribeInstancesOutput
	for n := 0; pages.HasMorePages(); n++ {
		if n == 5 {
			t.Fatal("DescribeInstances paginator: still more pages after 5, want 1")
		}
		out, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = out
		}
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				instances = append(instances, aws.ToString(i.InstanceId))
			}
		}
	}

	file := readDemoJSON(t, "us-east-1/ec2-describe-instances.json")
	var want []string
	for _, r := range file["Reservations"].([]any) {
		for _, i := range r.(map[string]any)["Instances"].([]any) {
			want = append(want, i.(map[string]any)["InstanceId"].(string))
		}
	}
	if !reflect.DeepEqual(instances, want) {
		t.Errorf("instance IDs: got %q, want %q", instances, want)
	}

	i := first.Reservations[0].Instances[0]
	if want := time.Date(2017, 12, 1, 0, 0, 0, 0, time.UTC); !aws.ToTime(i.LaunchTime).Equal(want) {
		t.Errorf("LaunchTime: got %v, want %v", aws.ToTime(i.LaunchTime), want)
	}
	if aws.ToInt32(i.State.Code) != 16 || i.State.Name != "running" {
		t.Errorf("State: got %d %q, want 16 running", aws.ToInt32(i.State.Code), i.State.Name)
	}

	groups, err := client.DescribeSecurityGroups(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.SecurityGroups) != 8 {
		t.Errorf("DescribeSecurityGroups: got %d groups, want 8", len(groups.SecurityGroups))
	}

	regions, err := client.DescribeRegions(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(regions.Regions) != 1 || aws.ToString(regions.Regions[0].RegionName) != "us-east-1" {
		t.Errorf("DescribeRegions: got %+v, want us-east-1 only", regions.Regions)
	}
}

func TestDemoIAM(t *testing.T) {
	cfg := demoConfig(t, "global")
	client := iam.NewFromConfig(cfg)
	ctx := context.Background()

	details, err := client.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	if err != nil {
		t.Fatal(err)
	}
	file := readDemoJSON(t, "us-east-1/iam-get-account-authorization-details.json")
	counts := []struct {
		key string
		got int
	}{
		{"UserDetailList", len(details.UserDetailList)},
		{"GroupDetailList", len(details.GroupDetailList)},
		{"RoleDetailList", len(details.RoleDetailList)},
		{"Policies", len(details.Policies)},
	}
	for _, c := range counts {
		if want := len(file[c.key].([]any)); c.got != want {
			t.Errorf("%s: got %d entries, want %d", c.key, c.got, want)
		}
	}

	// The CLI prints policy documents as objects; they arrive as JSON text.
	for _, role := range details.RoleDetailList {
		var doc struct{ Statement []any }
		if err := json.Unmarshal([]byte(aws.ToString(role.AssumeRolePolicyDocument)), &doc); err != nil || len(doc.Statement) == 0 {
			t.Errorf("role %s: AssumeRolePolicyDocument %q is not a policy document: %v", aws.ToString(role.RoleName), aws.ToString(role.AssumeRolePolicyDocument), err)
		}
	}
	doc := aws.ToString(details.Policies[0].PolicyVersionList[0].Document)
	if !strings.HasPrefix(doc, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeAssociation",`) {
		t.Errorf("policy document: got %.80s..., want the compact JSON text in file order", doc)
	}

	report, err := client.GetCredentialReport(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(report.Content), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "user,arn,user_creation_time,") || !strings.HasPrefix(lines[2], "auditor_tmp,") {
		t.Errorf("credential report: got %d lines starting %q, want 4 CSV lines with a header", len(lines), lines[0])
	}
	if report.ReportFormat != "text/csv" {
		t.Errorf("credential report format: got %q, want text/csv", report.ReportFormat)
	}

	summary, err := client.GetAccountSummary(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if summary.SummaryMap["AccountMFAEnabled"] != 1 || summary.SummaryMap["Users"] != 1 {
		t.Errorf("account summary: got %v, want AccountMFAEnabled 1 and Users 1", summary.SummaryMap)
	}

	role, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("level1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(role.Role.RoleName) != "level1" || aws.ToInt32(role.Role.MaxSessionDuration) != 3600 {
		t.Errorf("GetRole level1: got %s with max session %d, want level1 with 3600", aws.ToString(role.Role.RoleName), aws.ToInt32(role.Role.MaxSessionDuration))
	}

	// The job ID of one call names the file of the next.
	job, err := client.GenerateServiceLastAccessedDetails(ctx, &iam.GenerateServiceLastAccessedDetailsInput{
		Arn: aws.String("arn:aws:iam::123456789012:role/service-role/level1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	access, err := client.GetServiceLastAccessedDetails(ctx, &iam.GetServiceLastAccessedDetailsInput{JobId: job.JobId})
	if err != nil {
		t.Fatal(err)
	}
	if access.JobStatus != "COMPLETED" || len(access.ServicesLastAccessed) == 0 {
		t.Errorf("GetServiceLastAccessedDetails %s: got status %q and %d services, want COMPLETED and some", aws.ToString(job.JobId), access.JobStatus, len(access.ServicesLastAccessed))
	}
}

func TestDemoRegionalServices(t *testing.T) {
	cfg := demoConfig(t, "us-east-1")
	ctx := context.Background()

	functions, err := lambda.NewFromConfig(cfg).ListFunctions(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(functions.Functions) != 1 || aws.ToString(functions.Functions[0].FunctionName) != "invpclambda" {
		t.Errorf("ListFunctions: got %d functions, want invpclambda only", len(functions.Functions))
	} else if vpc := functions.Functions[0].VpcConfig; vpc == nil || len(vpc.SubnetIds) != 2 {
		t.Errorf("invpclambda VpcConfig: got %+v, want 2 subnets", vpc)
	}

	dbs, err := rds.NewFromConfig(cfg).DescribeDBInstances(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(dbs.DBInstances) != 1 {
		t.Fatalf("DescribeDBInstances: got %d instances, want 1", len(dbs.DBInstances))
	}
	db := dbs.DBInstances[0]
	if aws.ToString(db.DBInstanceIdentifier) != "database" || aws.ToInt32(db.Endpoint.Port) != 5432 || aws.ToBool(db.PubliclyAccessible) {
		t.Errorf("DB instance: got %s port %d public %v, want database port 5432 not public",
			aws.ToString(db.DBInstanceIdentifier), aws.ToInt32(db.Endpoint.Port), aws.ToBool(db.PubliclyAccessible))
	}

	trails, err := cloudtrail.NewFromConfig(cfg).DescribeTrails(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(trails.TrailList) != 1 || !aws.ToBool(trails.TrailList[0].LogFileValidationEnabled) {
		t.Errorf("DescribeTrails: got %+v, want one trail with log file validation", trails.TrailList)
	}

	topic := aws.String("arn:aws:sns:us-east-1:123456789012:demo_public")
	attrs, err := sns.NewFromConfig(cfg).GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: topic})
	if err != nil {
		t.Fatal(err)
	}
	if attrs.Attributes["TopicArn"] != *topic || !strings.Contains(attrs.Attributes["Policy"], `"Statement"`) {
		t.Errorf("GetTopicAttributes: got %v, want the topic ARN and a policy", attrs.Attributes)
	}

	// The demo spells the file prefix accessanalzyer.
	analyzers, err := accessanalyzer.NewFromConfig(cfg).ListAnalyzers(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(analyzers.Analyzers) != 1 || analyzers.Analyzers[0].Status != "ACTIVE" {
		t.Errorf("ListAnalyzers: got %+v, want one ACTIVE analyzer", analyzers.Analyzers)
	}

	identity, err := sts.NewFromConfig(demoConfig(t, "eu-west-1")).GetCallerIdentity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(identity.Account) != demoAccount {
		t.Errorf("GetCallerIdentity from eu-west-1: got %q, want %s", aws.ToString(identity.Account), demoAccount)
	}
}

// demoClients builds a client of each service awsfile serves, by CLI name.
var demoClients = map[string]func(aws.Config) any{
	"accessanalyzer": func(c aws.Config) any { return accessanalyzer.NewFromConfig(c) },
	"cloudtrail":     func(c aws.Config) any { return cloudtrail.NewFromConfig(c) },
	"cloudwatch":     func(c aws.Config) any { return cloudwatch.NewFromConfig(c) },
	"logs":           func(c aws.Config) any { return cloudwatchlogs.NewFromConfig(c) },
	"config":         func(c aws.Config) any { return configservice.NewFromConfig(c) },
	"ec2":            func(c aws.Config) any { return ec2.NewFromConfig(c) },
	"efs":            func(c aws.Config) any { return efs.NewFromConfig(c) },
	"guardduty":      func(c aws.Config) any { return guardduty.NewFromConfig(c) },
	"iam":            func(c aws.Config) any { return iam.NewFromConfig(c) },
	"kms":            func(c aws.Config) any { return kms.NewFromConfig(c) },
	"lambda":         func(c aws.Config) any { return lambda.NewFromConfig(c) },
	"organizations":  func(c aws.Config) any { return organizations.NewFromConfig(c) },
	"rds":            func(c aws.Config) any { return rds.NewFromConfig(c) },
	"s3":             func(c aws.Config) any { return s3.NewFromConfig(c) },
	"s3control":      func(c aws.Config) any { return s3control.NewFromConfig(c) },
	"securityhub":    func(c aws.Config) any { return securityhub.NewFromConfig(c) },
	"sns":            func(c aws.Config) any { return sns.NewFromConfig(c) },
	"sts":            func(c aws.Config) any { return sts.NewFromConfig(c) },
}

// demoResourceFields names the input field of each per-resource folder in
// the demo data.
var demoResourceFields = map[string]string{
	"iam-get-role": "RoleName",
	"iam-get-user": "UserName",
	"iam-generate-service-last-accessed-details": "Arn",
	"iam-get-service-last-accessed-details":      "JobId",
	"lambda-get-policy":                          "FunctionName",
	"s3-get-bucket-acl":                          "Bucket",
	"s3-get-bucket-location":                     "Bucket",
	"s3-get-bucket-policy":                       "Bucket",
	"sns-get-topic-attributes":                   "TopicArn",
}

// TestDemoEveryFile calls, through a real SDK client, the operation of every
// demo file whose service awsfile serves, and checks that every key of
// every file lands in a field of the output type.
func TestDemoEveryFile(t *testing.T) {
	dir := demoDir(t)
	cfg := demoConfig(t, "us-east-1")
	ctx := context.Background()
	index := regexp.MustCompile(`\[\d+\]`)

	unknown := map[string]bool{}
	var called, skipped []string
	err := filepath.WalkDir(dir, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, file)
		rel = filepath.ToSlash(rel)
		if rel == "LICENSE-NOTE.md" {
			return nil
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if !json.Valid(data) {
			t.Errorf("%s: not valid JSON", rel)
			return nil
		}

		svc, op, resource, ok := demoOperation(t, rel)
		if !ok {
			skipped = append(skipped, rel)
			return nil
		}
		called = append(called, rel)

		// Call the operation through a real client.
		client := reflect.ValueOf(demoClients[svc.cliName](cfg))
		method := client.MethodByName(op)
		input := reflect.New(method.Type().In(1).Elem())
		if resource != "" {
			field := demoResourceFields[strings.SplitN(strings.TrimPrefix(rel, "us-east-1/"), "/", 2)[0]]
			input.Elem().FieldByName(field).Set(reflect.ValueOf(aws.String(resource)))
		}
		results := method.Call([]reflect.Value{reflect.ValueOf(ctx), input})
		if err, _ := results[1].Interface().(error); err != nil {
			t.Errorf("%s: %s %s: %v", rel, svc.cliName, op, err)
			return nil
		}
		if results[0].IsNil() {
			t.Errorf("%s: %s %s: got a nil output", rel, svc.cliName, op)
		}

		// Check that no key is dropped.
		outType, _ := svc.outputType(op)
		out := reflect.New(outType)
		record := func(p string) { unknown[rel+": "+index.ReplaceAllString(p, "[]")] = true }
		if err := unmarshal(data, out.Interface(), record); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Logf("called %d operations; skipped %d files of services awsfile does not serve: %s", len(called), len(skipped), strings.Join(skipped, ", "))
	if len(called) < 40 {
		t.Errorf("called %d operations, want at least 40", len(called))
	}

	var gotUnknown []string
	for k := range unknown {
		gotUnknown = append(gotUnknown, k)
	}
	sort.Strings(gotUnknown)
	if len(gotUnknown) > 0 {
		t.Errorf("keys without an SDK field: got %q, want none", gotUnknown)
	}
}

// demoOperation maps a demo file path to its service, operation and, for a
// per-resource file, the unescaped resource value.
func demoOperation(t *testing.T, rel string) (svc service, op, resource string, ok bool) {
	t.Helper()
	if rel == regionsFile {
		return services[ec2.ServiceID], "DescribeRegions", "", true
	}

	parts := strings.Split(rel, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return service{}, "", "", false
	}

	name := strings.TrimSuffix(parts[1], ".json")
	prefix, command, found := strings.Cut(name, "-")
	if !found {
		return service{}, "", "", false
	}
	svc, ok = serviceByCLIName(prefix)
	if !ok {
		return service{}, "", "", false
	}
	op, ok = svc.operationName(command)
	if !ok {
		t.Errorf("%s: %s has no operation named %q", rel, prefix, command)
		return service{}, "", "", false
	}

	if len(parts) == 3 {
		value, err := url.QueryUnescape(parts[2])
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return service{}, "", "", false
		}
		resource = value
	}
	return svc, op, resource, true
}
