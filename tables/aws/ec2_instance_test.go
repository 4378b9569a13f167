package aws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestInstanceMoto(t *testing.T) {
	c, calls := motoEC2(t, "ap-southeast-2")
	ctx := context.Background()
	vpcID, subnetID := ec2MotoVPC(t, c, "10.20.0.0/16", "10.20.1.0/24")
	sg, err := c.EC2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String("web"), Description: aws.String("web servers"), VpcId: aws.String(vpcID),
	})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}
	profile, err := c.IAM.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ec2-test-web")})
	if err != nil {
		t.Fatalf("CreateInstanceProfile: %v", err)
	}

	// One reservation of two hardened instances.
	web, err := c.EC2.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-0a1b2c3d"), InstanceType: types.InstanceTypeT3Micro,
		MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		SubnetId: aws.String(subnetID), SecurityGroupIds: []string{aws.ToString(sg.GroupId)},
		KeyName:            aws.String("ops"),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("ec2-test-web")},
		Monitoring:         &types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(true)},
		MetadataOptions: &types.InstanceMetadataOptionsRequest{
			HttpTokens:              types.HttpTokensStateRequired,
			HttpEndpoint:            types.InstanceMetadataEndpointStateEnabled,
			HttpPutResponseHopLimit: aws.Int32(2),
		},
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeInstance,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}},
		}},
	})
	if err != nil {
		t.Fatalf("RunInstances web: %v", err)
	}

	// Five more reservations of one default instance each, so that a page
	// size of 5 reservations needs two pages.
	var plain []string
	for i := 0; i < 5; i++ {
		out, err := c.EC2.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId: aws.String("ami-0a1b2c3d"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		})
		if err != nil {
			t.Fatalf("RunInstances plain %d: %v", i, err)
		}
		plain = append(plain, aws.ToString(out.Instances[0].InstanceId))
	}
	if _, err := c.EC2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: plain[:1]}); err != nil {
		t.Fatalf("StopInstances: %v", err)
	}

	withEC2PageSize(t, 5)
	recs := collect(t, "aws_ec2_instance", c)
	if got := calls.count("DescribeInstances"); got != 2 {
		t.Errorf("DescribeInstances calls: got %d, want 2 (6 reservations, 5 per page)", got)
	}
	rows := ec2RowsBy(t, "aws_ec2_instance", recs, "instance_id")
	if len(rows) != 7 {
		t.Fatalf("instances: got %d, want 7", len(rows))
	}

	webID := aws.ToString(web.Instances[0].InstanceId)
	row := rows[webID]
	ec2Check(t, "web instance", row, map[string]any{
		"arn":                            "arn:aws:ec2:ap-southeast-2:123456789012:instance/" + webID,
		"instance_type":                  "t3.micro",
		"state":                          "running",
		"image_id":                       "ami-0a1b2c3d",
		"vpc_id":                         vpcID,
		"subnet_id":                      subnetID,
		"key_name":                       "ops",
		"security_group_ids":             []string{aws.ToString(sg.GroupId)},
		"iam_instance_profile_arn":       aws.ToString(profile.InstanceProfile.Arn),
		"metadata_options_http_tokens":   "required",
		"metadata_options_http_endpoint": "enabled",
		"metadata_options_http_put_response_hop_limit": 2,
		"monitoring_state":  "enabled",
		"availability_zone": "ap-southeast-2a",
		"root_device_type":  "ebs",
	})
	if ip, _ := row["private_ip_address"].(string); !strings.HasPrefix(ip, "10.20.1.") {
		t.Errorf("web instance: private_ip_address: got %q, want an address of 10.20.1.0/24", ip)
	}
	if lt, ok := row["launch_time"].(time.Time); !ok || lt.IsZero() {
		t.Errorf("web instance: launch_time: got %#v, want a time", row["launch_time"])
	}
	ec2Check(t, "web instance", row, map[string]any{"tags": map[string]string{"Name": "web"}})

	var interfaces []types.InstanceNetworkInterface
	ec2DecodeJSON(t, "web instance network_interfaces", row["network_interfaces"], &interfaces)
	if len(interfaces) != 1 || aws.ToString(interfaces[0].SubnetId) != subnetID {
		t.Errorf("web instance: network_interfaces: got %+v, want one interface in %s", interfaces, subnetID)
	}
	var devices []types.InstanceBlockDeviceMapping
	ec2DecodeJSON(t, "web instance block_device_mappings", row["block_device_mappings"], &devices)
	if len(devices) == 0 || devices[0].Ebs == nil || !strings.HasPrefix(aws.ToString(devices[0].Ebs.VolumeId), "vol-") {
		t.Errorf("web instance: block_device_mappings: got %+v, want the root EBS volume", devices)
	}

	ec2Check(t, "stopped instance", rows[plain[0]], map[string]any{"state": "stopped", "key_name": nil, "iam_instance_profile_arn": nil})
	ec2Check(t, "running default instance", rows[plain[1]], map[string]any{"state": "running", "metadata_options_http_tokens": "optional"})
}

func TestInstanceDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	rows := ec2RowsBy(t, "aws_ec2_instance", collect(t, "aws_ec2_instance", c), "instance_id")
	if len(rows) != 3 {
		t.Fatalf("instances: got %d, want the 3 of ec2-describe-instances.json", len(rows))
	}
	ec2Check(t, "bastion", rows["i-00000000000000000"], map[string]any{
		"arn":                          "arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000000",
		"instance_type":                "t2.micro",
		"state":                        "running",
		"image_id":                     "ami-00000000",
		"launch_time":                  time.Date(2017, 12, 1, 0, 0, 0, 0, time.UTC),
		"availability_zone":            "us-east-1a",
		"vpc_id":                       "vpc-12345678",
		"subnet_id":                    "subnet-00000001",
		"private_ip_address":           "10.0.0.1",
		"public_ip_address":            "1.2.3.4",
		"public_dns_name":              "ec2-1-2-3-4.compute-1.amazonaws.com",
		"key_name":                     "bastion",
		"security_group_ids":           []string{"sg-00000002"},
		"iam_instance_profile_arn":     nil,
		"metadata_options_http_tokens": nil,
		"monitoring_state":             "enabled",
		"ebs_optimized":                true,
		"platform":                     nil,
		"architecture":                 "x86_64",
		"root_device_type":             "ebs",
		"tags":                         map[string]string{"Name": "Bastion"},
	})
	ec2Check(t, "web1", rows["i-00000000000000001"], map[string]any{
		"public_ip_address":                            nil,
		"public_dns_name":                              nil,
		"security_group_ids":                           []string{"sg-00000004"},
		"metadata_options_http_tokens":                 "optional",
		"metadata_options_http_endpoint":               "enabled",
		"metadata_options_http_put_response_hop_limit": 1,
		"tags": map[string]string{"Name": "Web1"},
	})
	var devices []types.InstanceBlockDeviceMapping
	ec2DecodeJSON(t, "bastion block_device_mappings", rows["i-00000000000000000"]["block_device_mappings"], &devices)
	if len(devices) != 1 || aws.ToString(devices[0].Ebs.VolumeId) != "vol-00000000000000000" {
		t.Errorf("bastion: block_device_mappings: got %+v, want vol-00000000000000000", devices)
	}
}

func TestInstanceFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_ec2_instance", "us-east-1")
	rows := ec2RowsBy(t, "aws_ec2_instance", collect(t, "aws_ec2_instance", c), "instance_id")
	if len(rows) != 2 {
		t.Fatalf("instances: got %d, want 2 from two reservations", len(rows))
	}
	ec2Check(t, "windows", rows["i-0windows"], map[string]any{
		"arn":                            "arn:aws:ec2:us-east-1:111122223333:instance/i-0windows",
		"platform":                       "windows",
		"launch_time":                    time.Date(2024, 3, 5, 10, 20, 30, 0, time.UTC),
		"public_dns_name":                nil, // "" in the file
		"public_ip_address":              nil,
		"iam_instance_profile_arn":       "arn:aws:iam::111122223333:instance-profile/windows-ssm",
		"metadata_options_http_tokens":   "required",
		"metadata_options_http_endpoint": "enabled",
		"metadata_options_http_put_response_hop_limit": 2,
		"security_group_ids":                           []string{"sg-0rdp", "sg-0default"},
		"monitoring_state":                             "disabled",
		"ebs_optimized":                                false,
		"block_device_mappings":                        "[]",
		"network_interfaces":                           "[]",
		"tags":                                         map[string]string{"Name": "win", "env": "prod"},
	})
	ec2Check(t, "terminated", rows["i-0terminated"], map[string]any{
		"state":                          "terminated",
		"architecture":                   "arm64",
		"vpc_id":                         nil,
		"subnet_id":                      nil,
		"private_ip_address":             nil,
		"key_name":                       nil,
		"platform":                       nil,
		"security_group_ids":             []string{},
		"metadata_options_http_endpoint": "disabled",
		"tags":                           map[string]string{},
	})
}
