package awsfile

import (
	"reflect"
	"sort"

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

// service describes how one SDK service maps onto the CloudMapper layout.
type service struct {
	// cliName is the AWS CLI service name that prefixes file names ("logs").
	cliName string
	// aliases are other prefixes accepted when reading files.
	aliases []string
	// client is the SDK client type, such as *s3.Client. Its methods are the
	// operations, and the first result of each is the output type.
	client reflect.Type
	// global marks services that CloudMapper collects once per account, in
	// the global folder (us-east-1), whatever region the call names.
	global bool
}

// services maps the SDK service ID, as the SDK puts it in the request
// context, to the service's layout.
var services = map[string]service{
	accessanalyzer.ServiceID: {
		cliName: "accessanalyzer",
		// NOTE: CloudMapper's demo data spells this prefix
		// "accessanalzyer"; its collector writes "accessanalyzer".
		aliases: []string{"accessanalzyer"},
		client:  reflect.TypeOf(&accessanalyzer.Client{}),
	},
	cloudtrail.ServiceID:     {cliName: "cloudtrail", client: reflect.TypeOf(&cloudtrail.Client{})},
	cloudwatch.ServiceID:     {cliName: "cloudwatch", client: reflect.TypeOf(&cloudwatch.Client{})},
	cloudwatchlogs.ServiceID: {cliName: "logs", client: reflect.TypeOf(&cloudwatchlogs.Client{})},
	configservice.ServiceID:  {cliName: "config", client: reflect.TypeOf(&configservice.Client{})},
	ec2.ServiceID:            {cliName: "ec2", client: reflect.TypeOf(&ec2.Client{})},
	efs.ServiceID:            {cliName: "efs", client: reflect.TypeOf(&efs.Client{})},
	guardduty.ServiceID:      {cliName: "guardduty", client: reflect.TypeOf(&guardduty.Client{})},
	iam.ServiceID:            {cliName: "iam", client: reflect.TypeOf(&iam.Client{}), global: true},
	kms.ServiceID:            {cliName: "kms", client: reflect.TypeOf(&kms.Client{})},
	lambda.ServiceID:         {cliName: "lambda", client: reflect.TypeOf(&lambda.Client{})},
	organizations.ServiceID:  {cliName: "organizations", client: reflect.TypeOf(&organizations.Client{}), global: true},
	rds.ServiceID:            {cliName: "rds", client: reflect.TypeOf(&rds.Client{})},
	s3.ServiceID:             {cliName: "s3", client: reflect.TypeOf(&s3.Client{}), global: true},
	s3control.ServiceID:      {cliName: "s3control", client: reflect.TypeOf(&s3control.Client{}), global: true},
	securityhub.ServiceID:    {cliName: "securityhub", client: reflect.TypeOf(&securityhub.Client{})},
	sns.ServiceID:            {cliName: "sns", client: reflect.TypeOf(&sns.Client{})},
	sts.ServiceID:            {cliName: "sts", client: reflect.TypeOf(&sts.Client{}), global: true},
}

// serviceByCLIName returns the service whose CLI name or alias is name.
func serviceByCLIName(name string) (service, bool) {
	for _, svc := range services {
		if svc.cliName == name {
			return svc, true
		}
		for _, alias := range svc.aliases {
			if alias == name {
				return svc, true
			}
		}
	}
	return service{}, false
}

// cliNames returns the CLI names of all services, sorted, for error messages.
func cliNames() []string {
	names := make([]string, 0, len(services))
	for _, svc := range services {
		names = append(names, svc.cliName)
	}
	sort.Strings(names)
	return names
}

// outputType returns the output struct type (not the pointer) of operation op
// of svc, such as s3.GetBucketPolicyOutput for "GetBucketPolicy".
func (svc service) outputType(op string) (reflect.Type, bool) {
	method, ok := svc.client.MethodByName(op)
	if !ok {
		return nil, false
	}

	// An operation method is func(c, ctx, *Input, ...func(*Options)) (*Output, error).
	ft := method.Type
	if ft.NumIn() != 4 || ft.NumOut() != 2 {
		return nil, false
	}
	out := ft.Out(0)
	if out.Kind() != reflect.Pointer || out.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	return out.Elem(), true
}

// operationName returns the API name of an operation given by API name
// ("GetBucketPolicy") or CLI name ("get-bucket-policy").
func (svc service) operationName(name string) (string, bool) {
	if _, ok := svc.outputType(name); ok {
		return name, true
	}
	for i := 0; i < svc.client.NumMethod(); i++ {
		op := svc.client.Method(i).Name
		if kebabName(op) != name {
			continue
		}
		if _, ok := svc.outputType(op); ok {
			return op, true
		}
	}
	return "", false
}
