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
		Name:        "aws_vpc_security_group",
		Description: "VPC security groups with their inbound and outbound rules as the API nests them; aws_vpc_security_group_rule has one row per rule and source.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the security group, arn:aws:ec2:<region>:<owner>:security-group/<id>."},
			{Name: "group_id", Type: store.TypeText, Description: "ID of the security group, such as sg-0123456789abcdef0."},
			{Name: "group_name", Type: store.TypeText, Description: "Name of the security group, \"default\" for a VPC's default group."},
			{Name: "description", Type: store.TypeText, Description: "Description given at creation."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC of the security group."},
			{Name: "owner_id", Type: store.TypeText, Description: "Account that owns the security group."},
			{Name: "ip_permissions", Type: store.TypeJSON, Description: "Inbound rules as the API returns them, [] when there are none."},
			{Name: "ip_permissions_egress", Type: store.TypeJSON, Description: "Outbound rules as the API returns them, [] when there are none."},
		},
	}, fetchSecurityGroups)
}

func fetchSecurityGroups(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return eachSecurityGroup(ctx, c, func(g types.SecurityGroup) error {
		return emit(tables.Record{
			"arn":                   securityGroupARN(c, g),
			"group_id":              g.GroupId,
			"group_name":            g.GroupName,
			"description":           g.Description,
			"vpc_id":                textOrNil(aws.ToString(g.VpcId)),
			"owner_id":              g.OwnerId,
			"ip_permissions":        listOrEmpty(g.IpPermissions),
			"ip_permissions_egress": listOrEmpty(g.IpPermissionsEgress),
			"tags":                  Tags(g.Tags),
			"raw":                   g,
		})
	})
}

// eachSecurityGroup calls fn for every security group of the region, page
// by page.
func eachSecurityGroup(ctx context.Context, c *Clients, fn func(types.SecurityGroup) error) error {
	pages := ec2.NewDescribeSecurityGroupsPaginator(c.EC2, &ec2.DescribeSecurityGroupsInput{}, func(o *ec2.DescribeSecurityGroupsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe security groups: %w", err)
		}
		for _, g := range page.SecurityGroups {
			if err := fn(g); err != nil {
				return err
			}
		}
	}
	return nil
}

// securityGroupARN returns the group's SecurityGroupArn, or builds it for
// API versions and CLI outputs that lack the field.
func securityGroupARN(c *Clients, g types.SecurityGroup) string {
	if arn := aws.ToString(g.SecurityGroupArn); arn != "" {
		return arn
	}
	return ec2ARN(c, aws.ToString(g.OwnerId), "security-group/"+aws.ToString(g.GroupId))
}
