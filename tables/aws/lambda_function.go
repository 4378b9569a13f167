package aws

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_lambda_function",
		Description: "Lambda functions ($LATEST version) with their runtime, network, resource policy and function URL. " +
			"Environment variable values are never stored: raw holds REDACTED in their place.",
		Key: "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the function."},
			{Name: "function_name", Type: store.TypeText, Description: "Name of the function."},
			{Name: "description", Type: store.TypeText, Description: "Description of the function."},
			{Name: "runtime", Type: store.TypeText, Description: "Runtime identifier, such as python3.12 or nodejs20.x. NULL for a container image."},
			{Name: "handler", Type: store.TypeText, Description: "Function in the code that Lambda calls, such as index.handler."},
			{Name: "role", Type: store.TypeText, Description: "ARN of the execution role."},
			{Name: "code_size", Type: store.TypeInt, Description: "Size of the deployment package, in bytes."},
			{Name: "timeout", Type: store.TypeInt, Description: "Maximum run time of one invocation, in seconds."},
			{Name: "memory_size", Type: store.TypeInt, Description: "Memory available to the function, in MB."},
			{Name: "last_modified", Type: store.TypeTimestamp, Description: "Time the function was last updated."},
			{Name: "package_type", Type: store.TypeText, Description: "Zip or Image."},
			{Name: "architectures", Type: store.TypeTextList, Description: "Instruction set architectures: x86_64 or arm64."},
			{Name: "state", Type: store.TypeText, Description: "Pending, Active, Inactive or Failed."},
			{Name: "vpc_id", Type: store.TypeText, Description: "VPC the function is attached to. NULL when it is not attached to a VPC."},
			{Name: "subnet_ids", Type: store.TypeTextList, Description: "Subnets of the function's network interfaces."},
			{Name: "security_group_ids", Type: store.TypeTextList, Description: "Security groups of the function's network interfaces."},
			{Name: "kms_key_arn", Type: store.TypeText, Description: "KMS key that encrypts the environment variables. NULL when an AWS managed key is used."},
			{Name: "tracing_mode", Type: store.TypeText, Description: "X-Ray tracing: Active or PassThrough."},
			{Name: "environment_variable_keys", Type: store.TypeTextList, Description: "Names of the environment variables, sorted. Their values are not stored."},
			{Name: "policy", Type: store.TypeJSON, Description: "Resource-based policy as a JSON document. NULL when the function has none or it could not be read."},
			{Name: "function_url", Type: store.TypeText, Description: "HTTPS endpoint of the unqualified function URL. NULL when it has none or it could not be read."},
			{Name: "url_auth_type", Type: store.TypeText, Description: "Authentication of the function URL: AWS_IAM, or NONE for a public URL. NULL when there is no URL or it could not be read."},
		},
	}, fetchLambdaFunctions)
}

// lambdaRedacted replaces each environment variable value.
const lambdaRedacted = "REDACTED"

// lambdaFunctionRaw is the raw column of aws_lambda_function: the function
// configuration, values redacted, with the results of the detail calls.
type lambdaFunctionRaw struct {
	lambdatypes.FunctionConfiguration
	Policy *string            `json:",omitempty"`
	Url    *lambdaFunctionURL `json:",omitempty"`
	Tags   map[string]string  `json:",omitempty"`
}

// lambdaFunctionURL is the part of GetFunctionUrlConfig's output kept in raw.
type lambdaFunctionURL struct {
	FunctionUrl      *string
	AuthType         lambdatypes.FunctionUrlAuthType
	InvokeMode       lambdatypes.InvokeMode `json:",omitempty"`
	Cors             *lambdatypes.Cors      `json:",omitempty"`
	CreationTime     *string                `json:",omitempty"`
	LastModifiedTime *string                `json:",omitempty"`
}

func fetchLambdaFunctions(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := lambda.NewListFunctionsPaginator(c.Lambda, &lambda.ListFunctionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list functions: %w", err)
		}
		for _, fn := range page.Functions {
			rec, err := lambdaFunctionRecord(ctx, c, fn)
			if err != nil {
				return err
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func lambdaFunctionRecord(ctx context.Context, c *Clients, fn lambdatypes.FunctionConfiguration) (tables.Record, error) {
	keys := redactLambdaEnvironment(&fn)
	raw := lambdaFunctionRaw{FunctionConfiguration: fn}
	rec := tables.Record{
		"arn":                       fn.FunctionArn,
		"function_name":             fn.FunctionName,
		"description":               fn.Description,
		"runtime":                   emptyToNull(string(fn.Runtime)),
		"handler":                   fn.Handler,
		"role":                      fn.Role,
		"code_size":                 fn.CodeSize,
		"timeout":                   fn.Timeout,
		"memory_size":               fn.MemorySize,
		"last_modified":             fn.LastModified,
		"package_type":              emptyToNull(string(fn.PackageType)),
		"architectures":             fn.Architectures,
		"state":                     emptyToNull(string(fn.State)),
		"kms_key_arn":               fn.KMSKeyArn,
		"environment_variable_keys": keys,
		"raw":                       &raw,
	}
	if v := fn.VpcConfig; v != nil {
		rec["vpc_id"] = emptyToNull(aws.ToString(v.VpcId))
		rec["subnet_ids"] = v.SubnetIds
		rec["security_group_ids"] = v.SecurityGroupIds
	}
	if fn.TracingConfig != nil {
		rec["tracing_mode"] = emptyToNull(string(fn.TracingConfig.Mode))
	}

	name := aws.ToString(fn.FunctionName)
	if err := setLambdaPolicy(ctx, c, name, rec, &raw); err != nil {
		return nil, err
	}
	if err := setLambdaFunctionURL(ctx, c, name, rec, &raw); err != nil {
		return nil, err
	}

	tags, err := c.Lambda.ListTags(ctx, &lambda.ListTagsInput{Resource: fn.FunctionArn})
	switch {
	case IsErrorCode(err, "ResourceNotFoundException"), isUnknownDetailError(err):
		// The tags column stays NULL.
	case err != nil:
		return nil, fmt.Errorf("list tags of function %s: %w", name, err)
	default:
		raw.Tags = tags.Tags
		rec["tags"] = Tags(tags.Tags)
	}
	return rec, nil
}

// redactLambdaEnvironment replaces every environment variable value of fn
// with lambdaRedacted and returns the variable names, sorted. It gives fn a
// new map, so the SDK's output is not changed.
func redactLambdaEnvironment(fn *lambdatypes.FunctionConfiguration) []string {
	if fn.Environment == nil {
		return nil
	}
	env := *fn.Environment
	keys := make([]string, 0, len(env.Variables))
	redacted := make(map[string]string, len(env.Variables))
	for k := range env.Variables {
		keys = append(keys, k)
		redacted[k] = lambdaRedacted
	}
	sort.Strings(keys)
	env.Variables = redacted
	fn.Environment = &env
	return keys
}

// setLambdaPolicy sets the policy column from GetPolicy. A function without
// a resource-based policy gets ResourceNotFoundException.
func setLambdaPolicy(ctx context.Context, c *Clients, name string, rec tables.Record, raw *lambdaFunctionRaw) error {
	out, err := c.Lambda.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String(name)})
	switch {
	case IsErrorCode(err, "ResourceNotFoundException"), isUnknownDetailError(err):
		return nil
	case err != nil:
		return fmt.Errorf("get policy of function %s: %w", name, err)
	}
	policy, err := PolicyJSON(out.Policy)
	if err != nil {
		return fmt.Errorf("function %s: %w", name, err)
	}
	rec["policy"] = policy
	raw.Policy = out.Policy
	return nil
}

// setLambdaFunctionURL sets the function URL columns from
// GetFunctionUrlConfig. A function without a URL gets
// ResourceNotFoundException.
//
// NOTE: only the unqualified URL is read, so a URL on an alias, which
// ListFunctionUrlConfigs would return, is missed. ListFunctionUrlConfigs is
// not used because moto 5.2.1 does not implement it.
func setLambdaFunctionURL(ctx context.Context, c *Clients, name string, rec tables.Record, raw *lambdaFunctionRaw) error {
	out, err := c.Lambda.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String(name)})
	switch {
	case IsErrorCode(err, "ResourceNotFoundException"), isUnknownDetailError(err):
		return nil
	case err != nil:
		return fmt.Errorf("get function URL of function %s: %w", name, err)
	}
	rec["function_url"] = out.FunctionUrl
	rec["url_auth_type"] = emptyToNull(string(out.AuthType))
	raw.Url = &lambdaFunctionURL{
		FunctionUrl:      out.FunctionUrl,
		AuthType:         out.AuthType,
		InvokeMode:       out.InvokeMode,
		Cors:             out.Cors,
		CreationTime:     out.CreationTime,
		LastModifiedTime: out.LastModifiedTime,
	}
	return nil
}
