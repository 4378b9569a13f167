// Package aws defines stance's AWS tables: one file per table, each with
// its columns, description and fetch function. Fetch functions call the
// real aws-sdk-go-v2 clients in Clients, which the sync provider builds
// either for live AWS (any endpoint the SDK's settings name) or for a
// folder of AWS CLI outputs, so both paths share every line of row
// building.
package aws

import (
	"context"
	"fmt"

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
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stance-cspm/stance/tables"
)

// Provider is the name of the AWS provider and the prefix of its tables.
const Provider = "aws"

// Clients holds the service clients of one account in one region. For the
// global partition, Region is "global" and the clients are set up for the
// partition's home region (us-east-1 in the commercial partition).
type Clients struct {
	AccountID string
	// Region is the partition's region, "global" for global services.
	Region string
	// Partition is the AWS partition of the account: "aws", "aws-cn" or
	// "aws-us-gov". ARNs built by tables use it.
	Partition string

	AccessAnalyzer *accessanalyzer.Client
	CloudTrail     *cloudtrail.Client
	CloudWatch     *cloudwatch.Client
	Config         *configservice.Client
	EC2            *ec2.Client
	EFS            *efs.Client
	GuardDuty      *guardduty.Client
	IAM            *iam.Client
	KMS            *kms.Client
	Lambda         *lambda.Client
	Logs           *cloudwatchlogs.Client
	RDS            *rds.Client
	S3             *s3.Client
	S3Control      *s3control.Client
	SecurityHub    *securityhub.Client
	SNS            *sns.Client
}

// FetchFunc is the signature of an AWS table's fetch function.
type FetchFunc func(ctx context.Context, c *Clients, emit func(tables.Record) error) error

// register adds an AWS table to the registry, wrapping its typed fetch
// function.
func register(t *tables.Table, fetch FetchFunc) {
	t.Provider = Provider
	t.Fetch = func(ctx context.Context, target tables.Target, emit func(tables.Record) error) error {
		c, ok := target.Client.(*Clients)
		if !ok {
			return fmt.Errorf("table %s: got client %T, want *aws.Clients", t.Name, target.Client)
		}
		return fetch(ctx, c, emit)
	}
	tables.Register(t)
}
