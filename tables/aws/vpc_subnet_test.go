package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestSubnetMoto(t *testing.T) {
	c, _ := motoEC2(t, "eu-west-2")
	ctx := context.Background()
	vpcID, subnetID := ec2MotoVPC(t, c, "10.60.0.0/16", "10.60.1.0/24")
	if _, err := c.EC2.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{
		SubnetId: aws.String(subnetID), MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)},
	}); err != nil {
		t.Fatalf("ModifySubnetAttribute: %v", err)
	}
	if _, err := c.EC2.CreateTags(ctx, &ec2.CreateTagsInput{
		Resources: []string{subnetID}, Tags: []types.Tag{{Key: aws.String("tier"), Value: aws.String("public")}},
	}); err != nil {
		t.Fatalf("CreateTags: %v", err)
	}

	recs := collect(t, "aws_vpc_subnet", c)
	described, err := c.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if err != nil {
		t.Fatalf("DescribeSubnets: %v", err)
	}
	if len(recs) != len(described.Subnets) {
		t.Errorf("subnets: got %d rows, want %d", len(recs), len(described.Subnets))
	}
	rows := ec2RowsBy(t, "aws_vpc_subnet", recs, "subnet_id")
	ec2Check(t, "public subnet", rows[subnetID], map[string]any{
		"arn":                        "arn:aws:ec2:eu-west-2:123456789012:subnet/" + subnetID,
		"vpc_id":                     vpcID,
		"cidr_block":                 "10.60.1.0/24",
		"availability_zone":          "eu-west-2a",
		"map_public_ip_on_launch":    true,
		"default_for_az":             false,
		"available_ip_address_count": 251, // 256 minus the 5 addresses AWS reserves
		"state":                      "available",
		"owner_id":                   "123456789012",
		"tags":                       map[string]string{"tier": "public"},
	})

	var defaults int
	for id, row := range rows {
		if row["default_for_az"] == true {
			defaults++
			ec2Check(t, "default subnet "+id, row, map[string]any{"map_public_ip_on_launch": true})
		}
	}
	if defaults == 0 {
		t.Errorf("default subnets: got 0, want one per availability zone of the default VPC")
	}
}
