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

func TestSubnetDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_subnet", collect(t, "aws_vpc_subnet", c), "subnet_id")
	if len(rows) != 4 {
		t.Fatalf("subnets: got %d, want the 4 of ec2-describe-subnets.json", len(rows))
	}
	cases := []struct {
		id, cidr, zone string
		public         bool
		name           string
	}{
		{"subnet-00000001", "10.0.0.0/24", "us-east-1a", true, "Public 1a"},
		{"subnet-00000002", "10.0.1.0/24", "us-east-1b", true, "Public 1b"},
		{"subnet-00000003", "10.0.2.0/24", "us-east-1a", false, "Private 1a"},
		{"subnet-00000004", "10.0.3.0/24", "us-east-1b", false, "Private 1b"},
	}
	for _, tc := range cases {
		// The file lacks SubnetArn, so the ARN is built.
		ec2Check(t, tc.id, rows[tc.id], map[string]any{
			"arn":                        "arn:aws:ec2:us-east-1:123456789012:subnet/" + tc.id,
			"vpc_id":                     "vpc-12345678",
			"cidr_block":                 tc.cidr,
			"availability_zone":          tc.zone,
			"map_public_ip_on_launch":    tc.public,
			"default_for_az":             true,
			"available_ip_address_count": 4091,
			"tags":                       map[string]string{"Name": tc.name},
		})
	}
}

func TestSubnetFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_vpc_subnet", "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_subnet", collect(t, "aws_vpc_subnet", c), "subnet_id")
	if len(rows) != 2 {
		t.Fatalf("subnets: got %d, want 2", len(rows))
	}
	ec2Check(t, "shared subnet", rows["subnet-0v4"], map[string]any{
		"arn":                        "arn:aws:ec2:us-east-1:444455556666:subnet/subnet-0v4",
		"owner_id":                   "444455556666",
		"available_ip_address_count": 0,
		"tags":                       map[string]string{},
	})
	ec2Check(t, "IPv6-only subnet", rows["subnet-0v6only"], map[string]any{
		"arn":        "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0v6only",
		"cidr_block": nil,
		"vpc_id":     "vpc-0aaa",
	})
}
