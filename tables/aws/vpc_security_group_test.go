package aws

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// motoSecurityGroups holds the groups that createMotoSecurityGroups made.
type motoSecurityGroups struct {
	vpcID, appID, peerID, emptyID, prefixListID string
}

// createMotoSecurityGroups creates, in a new VPC, a group "app" with the
// hard cases of rule expansion, a group "peer" that app references, and a
// group "empty" without any rule.
func createMotoSecurityGroups(t *testing.T, c *Clients) motoSecurityGroups {
	t.Helper()
	ctx := context.Background()
	var g motoSecurityGroups
	g.vpcID, _ = ec2MotoVPC(t, c, "10.30.0.0/16", "10.30.1.0/24")

	create := func(name string) string {
		out, err := c.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
			GroupName: aws.String(name), Description: aws.String(name + " group"), VpcId: aws.String(g.vpcID),
		})
		if err != nil {
			t.Fatalf("CreateSecurityGroup %s: %v", name, err)
		}
		return aws.ToString(out.GroupId)
	}
	g.appID, g.peerID, g.emptyID = create("app"), create("peer"), create("empty")

	pl, err := c.EC2.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName: aws.String("offices"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(5),
		Entries: []types.AddPrefixListEntry{{Cidr: aws.String("198.51.100.0/24")}},
	})
	if err != nil {
		t.Fatalf("CreateManagedPrefixList: %v", err)
	}
	g.prefixListID = aws.ToString(pl.PrefixList.PrefixListId)

	_, err = c.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(g.appID),
		IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []types.IpRange{
				{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh from anywhere")},
				{CidrIp: aws.String("10.0.0.0/8")},
			}},
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(20), ToPort: aws.Int32(30), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(0), ToPort: aws.Int32(65535), IpRanges: []types.IpRange{{CidrIp: aws.String("192.168.0.0/16")}}},
			{IpProtocol: aws.String("-1"), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(g.peerID), Description: aws.String("from peer")}}},
			{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(8), ToPort: aws.Int32(-1), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}},
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String(g.prefixListID)}}},
		},
	})
	if err != nil {
		t.Fatalf("AuthorizeSecurityGroupIngress app: %v", err)
	}

	// A new group allows all outbound traffic, so "empty" loses that rule.
	_, err = c.EC2.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{
		GroupId:       aws.String(g.emptyID),
		IpPermissions: []types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
	})
	if err != nil {
		t.Fatalf("RevokeSecurityGroupEgress empty: %v", err)
	}
	return g
}

func TestSecurityGroupMoto(t *testing.T) {
	c, _ := motoEC2(t, "eu-west-3")
	g := createMotoSecurityGroups(t, c)

	recs := collect(t, "aws_vpc_security_group", c)
	described, err := c.EC2.DescribeSecurityGroups(context.Background(), &ec2.DescribeSecurityGroupsInput{})
	if err != nil {
		t.Fatalf("DescribeSecurityGroups: %v", err)
	}
	if len(recs) != len(described.SecurityGroups) {
		t.Errorf("groups: got %d rows, want %d", len(recs), len(described.SecurityGroups))
	}
	rows := ec2RowsBy(t, "aws_vpc_security_group", recs, "group_id")

	ec2Check(t, "app group", rows[g.appID], map[string]any{
		"arn":         "arn:aws:ec2:eu-west-3:123456789012:security-group/" + g.appID,
		"group_name":  "app",
		"description": "app group",
		"vpc_id":      g.vpcID,
		"owner_id":    "123456789012",
	})
	var ingress, egress []types.IpPermission
	ec2DecodeJSON(t, "app ip_permissions", rows[g.appID]["ip_permissions"], &ingress)
	ec2DecodeJSON(t, "app ip_permissions_egress", rows[g.appID]["ip_permissions_egress"], &egress)
	if len(ingress) != 6 {
		t.Errorf("app ip_permissions: got %d permissions, want 6", len(ingress))
	}
	if len(egress) != 1 {
		t.Errorf("app ip_permissions_egress: got %d permissions, want 1", len(egress))
	}

	// A group without rules contains [] so that json_array_length finds it.
	ec2Check(t, "empty group", rows[g.emptyID], map[string]any{"ip_permissions": "[]", "ip_permissions_egress": "[]"})
}

func TestSecurityGroupDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	rows := ec2RowsBy(t, "aws_vpc_security_group", collect(t, "aws_vpc_security_group", c), "group_id")
	if len(rows) != 8 {
		t.Fatalf("groups: got %d, want the 8 of ec2-describe-security-groups.json", len(rows))
	}
	ec2Check(t, "Public", rows["sg-00000008"], map[string]any{
		"arn":         "arn:aws:ec2:us-east-1:123456789012:security-group/sg-00000008",
		"group_name":  "Public",
		"description": "Public access",
		"vpc_id":      "vpc-12345678",
		"owner_id":    "123456789012",
	})
	var ingress []types.IpPermission
	ec2DecodeJSON(t, "Public ip_permissions", rows["sg-00000008"]["ip_permissions"], &ingress)
	if len(ingress) != 2 || aws.ToInt32(ingress[1].FromPort) != 443 {
		t.Errorf("Public: ip_permissions: got %+v, want 22 from a group and 443 from anywhere", ingress)
	}
	ec2Check(t, "default", rows["sg-00000001"], map[string]any{"group_name": "default", "description": "default VPC security group"})
}
