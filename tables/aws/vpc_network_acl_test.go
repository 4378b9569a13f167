package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// motoNetworkACL holds what createMotoNetworkACL made.
type motoNetworkACL struct {
	vpcID, subnetID, aclID string
}

// createMotoNetworkACL creates a VPC with one subnet and a custom network
// ACL associated with it, containing inbound SSH from anywhere (100), all
// traffic denied from ::/0 outbound (200) and ICMP echo inbound (110).
func createMotoNetworkACL(t *testing.T, c *Clients) motoNetworkACL {
	t.Helper()
	ctx := context.Background()
	var n motoNetworkACL
	n.vpcID, n.subnetID = ec2MotoVPC(t, c, "10.40.0.0/16", "10.40.1.0/24")

	acl, err := c.EC2.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{
		VpcId: aws.String(n.vpcID),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeNetworkAcl,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("public")}},
		}},
	})
	if err != nil {
		t.Fatalf("CreateNetworkAcl: %v", err)
	}
	n.aclID = aws.ToString(acl.NetworkAcl.NetworkAclId)

	entries := []ec2.CreateNetworkAclEntryInput{
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}},
		{RuleNumber: aws.Int32(110), Protocol: aws.String("1"), RuleAction: types.RuleActionAllow, Egress: aws.Bool(false),
			CidrBlock: aws.String("10.0.0.0/8"), IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(8), Code: aws.Int32(-1)}},
		{RuleNumber: aws.Int32(200), Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, Egress: aws.Bool(true),
			Ipv6CidrBlock: aws.String("::/0")},
	}
	for _, e := range entries {
		e.NetworkAclId = aws.String(n.aclID)
		if _, err := c.EC2.CreateNetworkAclEntry(ctx, &e); err != nil {
			t.Fatalf("CreateNetworkAclEntry %d: %v", aws.ToInt32(e.RuleNumber), err)
		}
	}

	// Move the subnet from the VPC's default ACL to the new one.
	described, err := c.EC2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{
		Filters: []types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{n.subnetID}}},
	})
	if err != nil {
		t.Fatalf("DescribeNetworkAcls: %v", err)
	}
	var associationID string
	for _, a := range described.NetworkAcls {
		for _, assoc := range a.Associations {
			if aws.ToString(assoc.SubnetId) == n.subnetID {
				associationID = aws.ToString(assoc.NetworkAclAssociationId)
			}
		}
	}
	if associationID == "" {
		t.Fatalf("no network ACL association for subnet %s", n.subnetID)
	}
	if _, err := c.EC2.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{
		AssociationId: aws.String(associationID), NetworkAclId: aws.String(n.aclID),
	}); err != nil {
		t.Fatalf("ReplaceNetworkAclAssociation: %v", err)
	}
	return n
}

func TestNetworkACLMoto(t *testing.T) {
	c, _ := motoEC2(t, "ca-central-1")
	n := createMotoNetworkACL(t, c)

	recs := collect(t, "aws_vpc_network_acl", c)
	rows := ec2RowsBy(t, "aws_vpc_network_acl", recs, "network_acl_id")
	ec2Check(t, "custom ACL", rows[n.aclID], map[string]any{
		"arn":                   "arn:aws:ec2:ca-central-1:123456789012:network-acl/" + n.aclID,
		"vpc_id":                n.vpcID,
		"is_default":            false,
		"associated_subnet_ids": []string{n.subnetID},
		"tags":                  map[string]string{"Name": "public"},
	})
	var entries []types.NetworkAclEntry
	ec2DecodeJSON(t, "custom ACL entries", rows[n.aclID]["entries"], &entries)
	// NOTE: AWS adds a deny-all entry numbered 32767 to each direction of a
	// new ACL, but moto 5.2.1 adds them to default ACLs only.
	if len(entries) != 3 {
		t.Errorf("custom ACL entries: got %d, want the 3 created", len(entries))
	}

	var defaults int
	for id, row := range rows {
		if row["vpc_id"] == n.vpcID && row["is_default"] == true {
			defaults++
			ec2Check(t, "default ACL "+id, row, map[string]any{"associated_subnet_ids": []string{}})
		}
	}
	if defaults != 1 {
		t.Errorf("default ACLs of the VPC: got %d, want 1", defaults)
	}
}

func TestNetworkACLFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_vpc_network_acl", "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_network_acl", collect(t, "aws_vpc_network_acl", c), "network_acl_id")
	if len(rows) != 2 {
		t.Fatalf("network ACLs: got %d, want 2", len(rows))
	}
	ec2Check(t, "default ACL", rows["acl-0default"], map[string]any{
		"arn":                   "arn:aws:ec2:us-east-1:111122223333:network-acl/acl-0default",
		"is_default":            true,
		"associated_subnet_ids": []string{"subnet-01", "subnet-02"},
		"tags":                  map[string]string{},
	})
	ec2Check(t, "custom ACL", rows["acl-0custom"], map[string]any{
		"is_default":            false,
		"associations":          "[]",
		"associated_subnet_ids": []string{},
		"tags":                  map[string]string{"Name": "dmz"},
	})
	var entries []types.NetworkAclEntry
	ec2DecodeJSON(t, "custom ACL entries", rows["acl-0custom"]["entries"], &entries)
	if len(entries) != 6 {
		t.Errorf("custom ACL entries: got %d, want 6", len(entries))
	}
}
