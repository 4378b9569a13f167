package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_vpc_subnet",
		Description: "Subnets of the region's VPCs, including subnets that other accounts share with this one.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the subnet, arn:aws:ec2:<region>:<owner>:subnet/<id>."},
			{Name: "subnet_id", Type: store.TypeText, Description: "ID of the subnet, such as subnet-0123456789abcdef0."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC of the subnet."},
			{Name: "cidr_block", Type: store.TypeText, Description: "IPv4 range of the subnet, NULL for an IPv6-only subnet."},
			{Name: "availability_zone", Type: store.TypeText, Description: "Availability zone of the subnet, such as us-east-1a."},
			{Name: "map_public_ip_on_launch", Type: store.TypeBool, Description: "True when instances launched in the subnet get a public IPv4 address by default."},
			{Name: "default_for_az", Type: store.TypeBool, Description: "True for the default subnet of its availability zone."},
			{Name: "available_ip_address_count", Type: store.TypeInt, Description: "Number of unused private IPv4 addresses in the subnet."},
			{Name: "state", Type: store.TypeText, Description: "pending, available, unavailable, failed or failed-insufficient-capacity."},
			{Name: "owner_id", Type: store.TypeText, Description: "Account that owns the subnet; differs from account_id for a shared subnet."},
		},
		IgnoreInDrift: []string{
			"available_ip_address_count",
			"raw.AvailableIpAddressCount",
		},
	}, fetchSubnets)
}

func fetchSubnets(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := ec2.NewDescribeSubnetsPaginator(c.EC2, &ec2.DescribeSubnetsInput{}, func(o *ec2.DescribeSubnetsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe subnets: %w", err)
		}
		for _, s := range page.Subnets {
			if err := emit(subnetRecord(c, s)); err != nil {
				return err
			}
		}
	}
	return nil
}

func subnetRecord(c *Clients, s types.Subnet) tables.Record {
	id := aws.ToString(s.SubnetId)
	// Older CLI outputs, such as CloudMapper's demo data, lack SubnetArn.
	arn := aws.ToString(s.SubnetArn)
	if arn == "" {
		arn = ec2ARN(c, aws.ToString(s.OwnerId), "subnet/"+id)
	}
	return tables.Record{
		"arn":                        arn,
		"subnet_id":                  id,
		"vpc_id":                     s.VpcId,
		"cidr_block":                 textOrNil(aws.ToString(s.CidrBlock)),
		"availability_zone":          s.AvailabilityZone,
		"map_public_ip_on_launch":    s.MapPublicIpOnLaunch,
		"default_for_az":             s.DefaultForAz,
		"available_ip_address_count": s.AvailableIpAddressCount,
		"state":                      textOrNil(string(s.State)),
		"owner_id":                   s.OwnerId,
		"tags":                       Tags(s.Tags),
		"raw":                        s,
	}
}
