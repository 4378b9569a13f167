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
		Name:        "aws_ec2_instance",
		Description: "EC2 instances in every state, with their network placement, instance metadata service (IMDS) options and attached volumes.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the instance, arn:aws:ec2:<region>:<account>:instance/<id>."},
			{Name: "instance_id", Type: store.TypeText, Description: "ID of the instance, such as i-0123456789abcdef0."},
			{Name: "instance_type", Type: store.TypeText, Description: "Instance type, such as t3.micro."},
			{Name: "state", Type: store.TypeText, Description: "State name: pending, running, shutting-down, terminated, stopping or stopped."},
			{Name: "image_id", Type: store.TypeText, Description: "ID of the AMI the instance was launched from."},
			{Name: "launch_time", Type: store.TypeTimestamp, Description: "Time the instance was last launched or started."},
			{Name: "availability_zone", Type: store.TypeText, Description: "Availability zone of the instance, such as us-east-1a."},
			{Name: "vpc_id", Type: store.TypeText, Description: "ID of the VPC the instance runs in."},
			{Name: "subnet_id", Type: store.TypeText, Description: "ID of the subnet the instance runs in."},
			{Name: "private_ip_address", Type: store.TypeText, Description: "Primary private IPv4 address."},
			{Name: "public_ip_address", Type: store.TypeText, Description: "Public IPv4 address, NULL when the instance has none."},
			{Name: "public_dns_name", Type: store.TypeText, Description: "Public DNS name, NULL when the instance has none."},
			{Name: "key_name", Type: store.TypeText, Description: "Name of the key pair given at launch, NULL when none was."},
			{Name: "security_group_ids", Type: store.TypeTextList, Description: "IDs of the security groups of the instance."},
			{Name: "iam_instance_profile_arn", Type: store.TypeText, Description: "ARN of the IAM instance profile, NULL when none is attached."},
			{Name: "metadata_options_http_tokens", Type: store.TypeText, Description: "IMDS token use: required (IMDSv2 only) or optional (IMDSv1 allowed)."},
			{Name: "metadata_options_http_endpoint", Type: store.TypeText, Description: "IMDS endpoint state: enabled or disabled."},
			{Name: "metadata_options_http_put_response_hop_limit", Type: store.TypeInt, Description: "Maximum number of network hops of an IMDS token response, 1 to 64."},
			{Name: "monitoring_state", Type: store.TypeText, Description: "CloudWatch detailed monitoring: disabled, disabling, enabled or pending."},
			{Name: "ebs_optimized", Type: store.TypeBool, Description: "True when the instance is optimized for EBS I/O."},
			{Name: "platform", Type: store.TypeText, Description: "windows for Windows instances, NULL otherwise."},
			{Name: "architecture", Type: store.TypeText, Description: "CPU architecture: i386, x86_64, arm64, x86_64_mac or arm64_mac."},
			{Name: "root_device_type", Type: store.TypeText, Description: "Root device type: ebs or instance-store."},
			{Name: "block_device_mappings", Type: store.TypeJSON, Description: "Block device mappings with the EBS volume of each device."},
			{Name: "network_interfaces", Type: store.TypeJSON, Description: "Network interfaces with their addresses, groups and attachment."},
		},
	}, fetchInstances)
}

func fetchInstances(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := ec2.NewDescribeInstancesPaginator(c.EC2, &ec2.DescribeInstancesInput{}, func(o *ec2.DescribeInstancesPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe instances: %w", err)
		}
		for _, reservation := range page.Reservations {
			for _, inst := range reservation.Instances {
				if err := emit(instanceRecord(c, inst)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func instanceRecord(c *Clients, inst types.Instance) tables.Record {
	id := aws.ToString(inst.InstanceId)
	groupIDs := make([]string, 0, len(inst.SecurityGroups))
	for _, g := range inst.SecurityGroups {
		groupIDs = append(groupIDs, aws.ToString(g.GroupId))
	}

	rec := tables.Record{
		"arn":                   ec2ARN(c, "", "instance/"+id),
		"instance_id":           id,
		"instance_type":         textOrNil(string(inst.InstanceType)),
		"image_id":              inst.ImageId,
		"launch_time":           inst.LaunchTime,
		"vpc_id":                inst.VpcId,
		"subnet_id":             inst.SubnetId,
		"private_ip_address":    textOrNil(aws.ToString(inst.PrivateIpAddress)),
		"public_ip_address":     textOrNil(aws.ToString(inst.PublicIpAddress)),
		"public_dns_name":       textOrNil(aws.ToString(inst.PublicDnsName)),
		"key_name":              textOrNil(aws.ToString(inst.KeyName)),
		"security_group_ids":    groupIDs,
		"ebs_optimized":         inst.EbsOptimized,
		"platform":              textOrNil(string(inst.Platform)),
		"architecture":          textOrNil(string(inst.Architecture)),
		"root_device_type":      textOrNil(string(inst.RootDeviceType)),
		"block_device_mappings": listOrEmpty(inst.BlockDeviceMappings),
		"network_interfaces":    listOrEmpty(inst.NetworkInterfaces),
		"tags":                  Tags(inst.Tags),
		"raw":                   inst,
	}
	if inst.State != nil {
		rec["state"] = textOrNil(string(inst.State.Name))
	}
	if inst.Placement != nil {
		rec["availability_zone"] = textOrNil(aws.ToString(inst.Placement.AvailabilityZone))
	}
	if inst.IamInstanceProfile != nil {
		rec["iam_instance_profile_arn"] = inst.IamInstanceProfile.Arn
	}
	if m := inst.MetadataOptions; m != nil {
		rec["metadata_options_http_tokens"] = textOrNil(string(m.HttpTokens))
		rec["metadata_options_http_endpoint"] = textOrNil(string(m.HttpEndpoint))
		rec["metadata_options_http_put_response_hop_limit"] = m.HttpPutResponseHopLimit
	}
	if inst.Monitoring != nil {
		rec["monitoring_state"] = textOrNil(string(inst.Monitoring.State))
	}
	return rec
}
