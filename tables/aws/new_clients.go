package aws

import (
	"os"

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
	customEndpoint := cfg.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	return &Clients{
		AccountID:      accountID,
		Region:         region,
		Partition:      "aws",
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg),
		CloudTrail:     cloudtrail.NewFromConfig(cfg),
		CloudWatch:     cloudwatch.NewFromConfig(cfg),
		Config:         configservice.NewFromConfig(cfg),
		EC2:            ec2.NewFromConfig(cfg),
		EFS:            efs.NewFromConfig(cfg),
		GuardDuty:      guardduty.NewFromConfig(cfg),
		IAM:            iam.NewFromConfig(cfg),
		KMS:            kms.NewFromConfig(cfg),
		Lambda:         lambda.NewFromConfig(cfg),
		Logs:           cloudwatchlogs.NewFromConfig(cfg),
		RDS:            rds.NewFromConfig(cfg),
		// Virtual-hosted bucket addresses need DNS that a custom endpoint
		// such as an emulator on 127.0.0.1 does not have.
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = customEndpoint
		}),
		S3Control:   s3control.NewFromConfig(cfg),
		SecurityHub: securityhub.NewFromConfig(cfg),
		SNS:         sns.NewFromConfig(cfg),
	}
}
