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
		Name:        "aws_vpc",
		Description: "VPCs of the region, including default VPCs and VPCs that other accounts share with this one.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the VPC, arn:aws:ec2:<region>:<owner>:vpc/<id>."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC, such as vpc-0123456789abcdef0."},
			{Name: "cidr_block", Type: store.TypeText, Description: "Primary IPv4 range of the VPC."},
			{Name: "cidr_blocks", Type: store.TypeTextList, Description: "Every IPv4 and IPv6 range associated with the VPC, the primary one included."},
			{Name: "is_default", Type: store.TypeBool, Description: "True for the region's default VPC."},
			{Name: "state", Type: store.TypeText, Description: "pending or available."},
			{Name: "instance_tenancy", Type: store.TypeText, Description: "Tenancy of instances launched in the VPC: default, dedicated or host."},
			{Name: "dhcp_options_id", Type: store.TypeText, Description: "ID of the DHCP options set, or default."},
			{Name: "owner_id", Type: store.TypeText, Description: "Account that owns the VPC; differs from account_id for a shared VPC."},
		},
	}, fetchVPCs)
}

func fetchVPCs(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := ec2.NewDescribeVpcsPaginator(c.EC2, &ec2.DescribeVpcsInput{}, func(o *ec2.DescribeVpcsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe VPCs: %w", err)
		}
		for _, v := range page.Vpcs {
			if err := emit(vpcRecord(c, v)); err != nil {
				return err
			}
		}
	}
	return nil
}

func vpcRecord(c *Clients, v types.Vpc) tables.Record {
	id := aws.ToString(v.VpcId)
	return tables.Record{
		"arn":              ec2ARN(c, aws.ToString(v.OwnerId), "vpc/"+id),
		"vpc_id":           id,
		"cidr_block":       v.CidrBlock,
		"cidr_blocks":      vpcCIDRBlocks(v),
		"is_default":       v.IsDefault,
		"state":            textOrNil(string(v.State)),
		"instance_tenancy": textOrNil(string(v.InstanceTenancy)),
		"dhcp_options_id":  v.DhcpOptionsId,
		"owner_id":         v.OwnerId,
		"tags":             Tags(v.Tags),
		"raw":              v,
	}
}

// vpcCIDRBlocks lists the primary range first, then the other IPv4 and
// IPv6 ranges whose association state is associated or associating. A
// range without a state counts as associated.
func vpcCIDRBlocks(v types.Vpc) []string {
	blocks := []string{}
	seen := map[string]bool{}
	add := func(cidr string) {
		if cidr != "" && !seen[cidr] {
			seen[cidr] = true
			blocks = append(blocks, cidr)
		}
	}
	add(aws.ToString(v.CidrBlock))
	for _, a := range v.CidrBlockAssociationSet {
		if a.CidrBlockState != nil && !cidrAssociated(a.CidrBlockState.State) {
			continue
		}
		add(aws.ToString(a.CidrBlock))
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlockState != nil && !cidrAssociated(a.Ipv6CidrBlockState.State) {
			continue
		}
		add(aws.ToString(a.Ipv6CidrBlock))
	}
	return blocks
}

// cidrAssociated reports whether a VPC range in this state routes traffic
// or is about to.
func cidrAssociated(state types.VpcCidrBlockStateCode) bool {
	return state == types.VpcCidrBlockStateCodeAssociated || state == types.VpcCidrBlockStateCodeAssociating
}
