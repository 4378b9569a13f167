package aws

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// lambdaFixtureSecrets are the environment variable values of the Lambda
// fixture, none of which may be stored.
var lambdaFixtureSecrets = []string{"hunter2-Secret!", "tok-8f7e6d", "api.example.com"}

func TestLambdaDemoData(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	recs := collect(t, "aws_lambda_function", c)
	if len(recs) != 1 {
		t.Fatalf("got %d functions, want 1 (lambda-list-functions.json)", len(recs))
	}
	row := storedValues(t, "aws_lambda_function", recs[0])
	expectColumns(t, "invpclambda", row, map[string]any{
		"arn":                       "arn:aws:lambda:us-east-1:123456789012:function:invpclambda",
		"function_name":             "invpclambda",
		"runtime":                   "nodejs8.10",
		"handler":                   "index.handler",
		"role":                      "arn:aws:iam::123456789012:role/service-role/invpclambda",
		"code_size":                 int64(262),
		"timeout":                   int64(3),
		"memory_size":               int64(128),
		"last_modified":             parseWantTime(t, "2019-04-30T16:26:38.618Z"),
		"vpc_id":                    "vpc-12345678",
		"subnet_ids":                []string{"subnet-00000003", "subnet-00000004"},
		"security_group_ids":        []string{"sg-09920178"},
		"tracing_mode":              "PassThrough",
		"kms_key_arn":               nil,
		"environment_variable_keys": []string{},
		// lambda-get-function-url-config and lambda-list-tags were not
		// collected.
		"function_url":  nil,
		"url_auth_type": nil,
		"tags":          nil,
	})

	var policy struct {
		Statement []struct {
			Principal struct{ Service string }
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(row["policy"].(string)), &policy); err != nil {
		t.Fatalf("policy: %v", err)
	}
	if len(policy.Statement) != 1 {
		t.Fatalf("policy: got %d statements, want 1", len(policy.Statement))
	}
	if got := policy.Statement[0].Principal.Service; got != "apigateway.amazonaws.com" {
		t.Errorf("policy: got principal %q, want apigateway.amazonaws.com", got)
	}
	if got := policy.Statement[0].Condition["ArnLike"]["AWS:SourceArn"]; got != "arn:aws:execute-api:us-east-1:653711331788:2rfismmoo8/*/*/invpclambda" {
		t.Errorf("policy: got AWS:SourceArn %q", got)
	}
}

func TestLambdaFixture(t *testing.T) {
	c := testdataClients(t, "aws_lambda_function", "us-east-1")
	rows := storedRowsBy(t, "aws_lambda_function", "arn", collect(t, "aws_lambda_function", c))
	if len(rows) != 2 {
		t.Fatalf("got %d functions %v, want 2", len(rows), sortedRowKeys(rows))
	}

	tests := []struct {
		arn  string
		want map[string]any
	}{
		{
			arn: "arn:aws:lambda:us-east-1:111122223333:function:payments",
			want: map[string]any{
				"function_name":             "payments",
				"description":               "Card payments",
				"runtime":                   "python3.12",
				"code_size":                 int64(5242880),
				"memory_size":               int64(512),
				"last_modified":             parseWantTime(t, "2024-01-02T03:04:05.678Z"),
				"package_type":              "Zip",
				"architectures":             []string{"arm64"},
				"state":                     "Active",
				"vpc_id":                    nil,
				"subnet_ids":                []string{},
				"kms_key_arn":               "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
				"tracing_mode":              "Active",
				"environment_variable_keys": []string{"API_URL", "DB_PASSWORD"},
				"function_url":              "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/",
				"url_auth_type":             "NONE",
				"policy": json.RawMessage(`{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"FunctionURLAllowPublicAccess","Effect":"Allow","Principal":"*",` +
					`"Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:us-east-1:111122223333:function:payments","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}]}`),
			},
		},
		{
			// A container image in a VPC, without policy, URL or readable
			// tags.
			arn: "arn:aws:lambda:us-east-1:111122223333:function:image-fn",
			want: map[string]any{
				"runtime":                   nil,
				"handler":                   nil,
				"code_size":                 int64(0),
				"timeout":                   int64(900),
				"package_type":              "Image",
				"state":                     nil,
				"vpc_id":                    "vpc-0ddd",
				"subnet_ids":                []string{"subnet-0aaa", "subnet-0bbb"},
				"security_group_ids":        []string{"sg-0ccc"},
				"environment_variable_keys": []string{},
				"policy":                    nil,
				"function_url":              nil,
				"url_auth_type":             nil,
				"tags":                      nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			row, ok := rows[tt.arn]
			if !ok {
				t.Fatalf("no row for %s; got %v", tt.arn, sortedRowKeys(rows))
			}
			expectColumns(t, tt.arn, row, tt.want)
		})
	}

	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"team": "payments", "pci": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows["arn:aws:lambda:us-east-1:111122223333:function:payments"]["tags"]; !reflect.DeepEqual(got, wantTags) {
		t.Errorf("payments: got tags %v, want %v", got, wantTags)
	}
}

func TestLambdaEnvironmentValuesRedacted(t *testing.T) {
	c := testdataClients(t, "aws_lambda_function", "us-east-1")
	recs := collect(t, "aws_lambda_function", c)
	if len(recs) == 0 {
		t.Fatal("got no functions, want 2")
	}
	for _, rec := range recs {
		row := storedValues(t, "aws_lambda_function", rec)
		for col, v := range row {
			text := fmt.Sprint(v)
			for _, secret := range lambdaFixtureSecrets {
				if strings.Contains(text, secret) {
					t.Errorf("%v: column %s contains environment value %q", row["arn"], col, secret)
				}
			}
		}
	}

	// raw keeps the variable names, with REDACTED as every value.
	raw, _ := storedValues(t, "aws_lambda_function", recs[0])["raw"].(string)
	var decoded struct {
		Environment struct{ Variables map[string]string }
	}
	if err := json.Unmarshal([]byte(raw), &decoded); err != nil {
		t.Fatalf("raw: %v", err)
	}
	want := map[string]string{"API_URL": "REDACTED", "DB_PASSWORD": "REDACTED"}
	if !reflect.DeepEqual(decoded.Environment.Variables, want) {
		t.Errorf("raw: got environment %v, want %v", decoded.Environment.Variables, want)
	}
}

// lambdaZip returns a deployment package with one small handler file.
func lambdaZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("index.py")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("def handler(event, context):\n    return 'ok'\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLambdaMoto(t *testing.T) {
	ctx := context.Background()
	const region = "ap-south-2"
	c := motoRegionClients(t, region)

	// moto checks that the execution role exists in IAM.
	role, err := c.IAM.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String("stance-lambda-table-test"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	})
	if err != nil {
		t.Fatalf("CreateRole: %v", err)
	}
	code := lambdaZip(t)

	const secret = "hunter2-Secret!"
	payments, err := c.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName:  aws.String("payments"),
		Runtime:       lambdatypes.RuntimePython312,
		Role:          role.Role.Arn,
		Handler:       aws.String("index.handler"),
		Code:          &lambdatypes.FunctionCode{ZipFile: code},
		Timeout:       aws.Int32(30),
		MemorySize:    aws.Int32(256),
		Architectures: []lambdatypes.Architecture{lambdatypes.ArchitectureArm64},
		TracingConfig: &lambdatypes.TracingConfig{Mode: lambdatypes.TracingModeActive},
		Environment:   &lambdatypes.Environment{Variables: map[string]string{"DB_PASSWORD": secret, "STAGE": "prod-stage-value"}},
		Tags:          map[string]string{"team": "payments"},
	})
	if err != nil {
		t.Fatalf("CreateFunction payments: %v", err)
	}
	if _, err := c.Lambda.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName:        aws.String("payments"),
		StatementId:         aws.String("public-url"),
		Action:              aws.String("lambda:InvokeFunctionUrl"),
		Principal:           aws.String("*"),
		FunctionUrlAuthType: lambdatypes.FunctionUrlAuthTypeNone,
	}); err != nil {
		t.Fatalf("AddPermission: %v", err)
	}
	if _, err := c.Lambda.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{
		FunctionName: aws.String("payments"),
		AuthType:     lambdatypes.FunctionUrlAuthTypeNone,
	}); err != nil {
		t.Fatalf("CreateFunctionUrlConfig: %v", err)
	}
	if _, err := c.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("plain"),
		Runtime:      lambdatypes.RuntimeNodejs20x,
		Role:         role.Role.Arn,
		Handler:      aws.String("index.handler"),
		Code:         &lambdatypes.FunctionCode{ZipFile: code},
	}); err != nil {
		t.Fatalf("CreateFunction plain: %v", err)
	}

	recs := collect(t, "aws_lambda_function", c)
	rows := storedRowsBy(t, "aws_lambda_function", "function_name", recs)
	if len(rows) != 2 {
		t.Fatalf("got %d functions %v, want 2", len(rows), sortedRowKeys(rows))
	}
	expectColumns(t, "payments", rows["payments"], map[string]any{
		"arn":                       aws.ToString(payments.FunctionArn),
		"runtime":                   "python3.12",
		"handler":                   "index.handler",
		"role":                      aws.ToString(role.Role.Arn),
		"timeout":                   int64(30),
		"memory_size":               int64(256),
		"architectures":             []string{"arm64"},
		"tracing_mode":              "Active",
		"environment_variable_keys": []string{"DB_PASSWORD", "STAGE"},
		"url_auth_type":             "NONE",
	})
	if rows["payments"]["function_url"] == nil {
		t.Error("payments: got function_url NULL, want the URL")
	}
	if rows["payments"]["last_modified"] == nil {
		t.Error("payments: got last_modified NULL, want the time")
	}
	policy, _ := rows["payments"]["policy"].(string)
	if !strings.Contains(policy, `"lambda:InvokeFunctionUrl"`) {
		t.Errorf("payments: got policy %q, want the InvokeFunctionUrl statement", policy)
	}
	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"team": "payments"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows["payments"]["tags"], wantTags) {
		t.Errorf("payments: got tags %v, want %v", rows["payments"]["tags"], wantTags)
	}

	// No policy and no URL: ResourceNotFoundException, NULL columns, and
	// the partition succeeds.
	expectColumns(t, "plain", rows["plain"], map[string]any{
		"policy":                    nil,
		"function_url":              nil,
		"url_auth_type":             nil,
		"environment_variable_keys": []string{},
	})

	for _, rec := range recs {
		for col, v := range storedValues(t, "aws_lambda_function", rec) {
			text := fmt.Sprint(v)
			if strings.Contains(text, secret) || strings.Contains(text, "prod-stage-value") {
				t.Errorf("column %s contains an environment variable value", col)
			}
		}
	}
}
