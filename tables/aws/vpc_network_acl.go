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
		Name:        "aws_vpc_network_acl",
		Description: "VPC network ACLs with their subnet associations and entries; aws_vpc_network_acl_entry has one row per entry.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the network ACL, arn:aws:ec2:<region>:<owner>:network-acl/<id>."},
			{Name: "network_acl_id", Type: store.TypeText, Description: "ID of the network ACL, such as acl-0123456789abcdef0."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC of the network ACL."},
			{Name: "owner_id", Type: store.TypeText, Description: "Account that owns the network ACL."},
			{Name: "is_default", Type: store.TypeBool, Description: "True for the VPC's default network ACL."},
			{Name: "associations", Type: store.TypeJSON, Description: "Subnet associations as the API returns them, [] when there are none."},
			{Name: "associated_subnet_ids", Type: store.TypeTextList, Description: "IDs of the subnets associated with the network ACL."},
			{Name: "entries", Type: store.TypeJSON, Description: "Inbound and outbound entries as the API returns them."},
		},
	}, fetchNetworkACLs)
}

func fetchNetworkACLs(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return eachNetworkACL(ctx, c, func(acl types.NetworkAcl) error {
		subnets := make([]string, 0, len(acl.Associations))
		for _, a := range acl.Associations {
			if id := aws.ToString(a.SubnetId); id != "" {
				subnets = append(subnets, id)
			}
		}
		return emit(tables.Record{
			"arn":                   networkACLARN(c, acl),
			"network_acl_id":        acl.NetworkAclId,
			"vpc_id":                acl.VpcId,
			"owner_id":              acl.OwnerId,
			"is_default":            acl.IsDefault,
			"associations":          listOrEmpty(acl.Associations),
			"associated_subnet_ids": subnets,
			"entries":               listOrEmpty(acl.Entries),
			"tags":                  Tags(acl.Tags),
			"raw":                   acl,
		})
	})
}

// eachNetworkACL calls fn for every network ACL of the region, page by
// page.
func eachNetworkACL(ctx context.Context, c *Clients, fn func(types.NetworkAcl) error) error {
	pages := ec2.NewDescribeNetworkAclsPaginator(c.EC2, &ec2.DescribeNetworkAclsInput{}, func(o *ec2.DescribeNetworkAclsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe network ACLs: %w", err)
		}
		for _, acl := range page.NetworkAcls {
			if err := fn(acl); err != nil {
				return err
			}
		}
	}
	return nil
}

func networkACLARN(c *Clients, acl types.NetworkAcl) string {
	return ec2ARN(c, aws.ToString(acl.OwnerId), "network-acl/"+aws.ToString(acl.NetworkAclId))
}
