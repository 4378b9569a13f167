package aws

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_ec2_region",
		Description: "Regions of the account with their opt-in status, enabled or not.",
		Key:         "region_name",
		Global:      true,
		Columns: []store.Column{
			{Name: "region_name", Type: store.TypeText, Description: "Name of the region, such as eu-west-1."},
			{Name: "endpoint", Type: store.TypeText, Description: "EC2 endpoint of the region."},
			{Name: "opt_in_status", Type: store.TypeText, Description: "opt-in-not-required, opted-in or not-opted-in."},
			{Name: "enabled", Type: store.TypeBool, Description: "True when the region can be used by the account."},
		},
	}, fetchRegions)
}

func fetchRegions(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	out, err := c.EC2.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	if err != nil {
		return err
	}
	for _, r := range out.Regions {
		name := aws.ToString(r.RegionName)
		status := aws.ToString(r.OptInStatus)
		if err := emit(tables.Record{
			"region":        name,
			"region_name":   name,
			"endpoint":      r.Endpoint,
			"opt_in_status": status,
			"enabled":       status != "not-opted-in",
			"raw":           r,
		}); err != nil {
			return err
		}
	}
	return nil
}
