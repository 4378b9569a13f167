package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestVPCMoto(t *testing.T) {
	c, _ := motoEC2(t, "sa-east-1")
	ctx := context.Background()
	vpc, err := c.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock:       aws.String("10.50.0.0/16"),
		InstanceTenancy: types.TenancyDedicated,
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeVpc,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("prod")}},
		}},
	})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	if _, err := c.EC2.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.51.0.0/16")}); err != nil {
		t.Fatalf("AssociateVpcCidrBlock 10.51.0.0/16: %v", err)
	}
	removed, err := c.EC2.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.52.0.0/16")})
	if err != nil {
		t.Fatalf("AssociateVpcCidrBlock 10.52.0.0/16: %v", err)
	}
	if _, err := c.EC2.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: removed.CidrBlockAssociation.AssociationId}); err != nil {
		t.Fatalf("DisassociateVpcCidrBlock: %v", err)
	}

	recs := collect(t, "aws_vpc", c)
	rows := ec2RowsBy(t, "aws_vpc", recs, "vpc_id")
	if len(rows) != 2 {
		t.Errorf("VPCs: got %d, want 2 (the default VPC and prod)", len(rows))
	}
	ec2Check(t, "prod VPC", rows[vpcID], map[string]any{
		"arn":              "arn:aws:ec2:sa-east-1:123456789012:vpc/" + vpcID,
		"cidr_block":       "10.50.0.0/16",
		"cidr_blocks":      []string{"10.50.0.0/16", "10.51.0.0/16"},
		"is_default":       false,
		"state":            "available",
		"instance_tenancy": "dedicated",
		"owner_id":         "123456789012",
		"tags":             map[string]string{"Name": "prod"},
	})

	var defaults int
	for id, row := range rows {
		if row["is_default"] == true {
			defaults++
			ec2Check(t, "default VPC "+id, row, map[string]any{"cidr_block": "172.31.0.0/16", "instance_tenancy": "default"})
		}
	}
	if defaults != 1 {
		t.Errorf("default VPCs: got %d, want 1", defaults)
	}
}

func TestVPCCIDRBlocks(t *testing.T) {
	state := func(s types.VpcCidrBlockStateCode) *types.VpcCidrBlockState {
		return &types.VpcCidrBlockState{State: s}
	}
	v := types.Vpc{
		CidrBlock: aws.String("10.0.0.0/16"),
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{
			{CidrBlock: aws.String("10.0.0.0/16"), CidrBlockState: state(types.VpcCidrBlockStateCodeAssociated)},
			{CidrBlock: aws.String("10.1.0.0/16"), CidrBlockState: state(types.VpcCidrBlockStateCodeAssociating)},
			{CidrBlock: aws.String("10.2.0.0/16"), CidrBlockState: state(types.VpcCidrBlockStateCodeDisassociated)},
			{CidrBlock: aws.String("10.3.0.0/16"), CidrBlockState: state(types.VpcCidrBlockStateCodeFailed)},
			{CidrBlock: aws.String("10.4.0.0/16")},
		},
		Ipv6CidrBlockAssociationSet: []types.VpcIpv6CidrBlockAssociation{
			{Ipv6CidrBlock: aws.String("2600:1f18::/56"), Ipv6CidrBlockState: state(types.VpcCidrBlockStateCodeAssociated)},
			{Ipv6CidrBlock: aws.String("2600:1f19::/56"), Ipv6CidrBlockState: state(types.VpcCidrBlockStateCodeDisassociating)},
		},
	}
	got := vpcCIDRBlocks(v)
	want := []string{"10.0.0.0/16", "10.1.0.0/16", "10.4.0.0/16", "2600:1f18::/56"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d: got %s, want %s", i, got[i], want[i])
		}
	}
}

func TestVPCDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc", collect(t, "aws_vpc", c), "vpc_id")
	if len(rows) != 1 {
		t.Fatalf("VPCs: got %d, want the 1 of ec2-describe-vpcs.json", len(rows))
	}
	// The file has no OwnerId, so the ARN names the synced account.
	ec2Check(t, "Prod", rows["vpc-12345678"], map[string]any{
		"arn":              "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-12345678",
		"cidr_block":       "10.0.0.0/16",
		"cidr_blocks":      []string{"10.0.0.0/16"},
		"is_default":       true,
		"state":            "available",
		"instance_tenancy": "default",
		"dhcp_options_id":  "dopt-12345678",
		"owner_id":         nil,
		"tags":             map[string]string{"Name": "Prod"},
	})
}

func TestVPCFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_vpc", "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc", collect(t, "aws_vpc", c), "vpc_id")
	// A VPC shared by another account carries its owner in the ARN.
	ec2Check(t, "shared VPC", rows["vpc-0shared"], map[string]any{
		"arn":         "arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0shared",
		"owner_id":    "444455556666",
		"cidr_blocks": []string{"10.8.0.0/16", "2600:1f18:abc:de00::/56"},
		"is_default":  false,
		"tags":        map[string]string{"Name": "shared network"},
	})
}
