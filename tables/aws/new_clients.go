package aws

import (
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
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stance-cspm/stance/internal/awsopts"
)

// HomeRegion is the region whose endpoints serve global services (IAM, S3
// bucket listing, Organizations) in the commercial AWS partition.
const HomeRegion = "us-east-1"

// NewClients builds the service clients of one account and region from an
// SDK configuration. For the "global" region the clients use HomeRegion.
// Endpoints come from cfg, so AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE> apply to every service.
func NewClients(cfg aws.Config, accountID, region string) *Clients {
	cfg = cfg.Copy()
	cfg.Region = region
	if region == "global" {
		cfg.Region = HomeRegion
	}
	return &Clients{
		AccountID:      accountID,
		Region:         region,
		Partition:      "aws",
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg),
		CloudTrail:     cloudtrail.NewFromConfig(cfg),
		// The query protocol is served by AWS and by emulators alike; the
		// SDK's default CBOR protocol is served by AWS only.
		CloudWatch: cloudwatch.NewFromConfig(cfg, awsopts.CloudWatchQueryProtocol),
		Config:     configservice.NewFromConfig(cfg),
		EC2:        ec2.NewFromConfig(cfg),
		EFS:        efs.NewFromConfig(cfg),
		GuardDuty:  guardduty.NewFromConfig(cfg),
		IAM:        iam.NewFromConfig(cfg),
		KMS:        kms.NewFromConfig(cfg),
		Lambda:     lambda.NewFromConfig(cfg),
		Logs:       cloudwatchlogs.NewFromConfig(cfg),
		RDS:        rds.NewFromConfig(cfg),
		// With a custom endpoint, S3 uses path-style addresses and s3control
		// keeps the endpoint's host: both would otherwise put the bucket or
		// account id into a host name that an emulator cannot resolve.
		S3:          s3.NewFromConfig(cfg, awsopts.S3PathStyle),
		S3Control:   s3control.NewFromConfig(cfg, awsopts.S3ControlKeepHost),
		SecurityHub: securityhub.NewFromConfig(cfg),
		SNS:         sns.NewFromConfig(cfg),
	}
}
