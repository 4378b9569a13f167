package aws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestVolumeMoto(t *testing.T) {
	c, _ := motoEC2(t, "us-east-2")
	ctx := context.Background()
	key, err := c.KMS.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("ebs")})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	keyARN := aws.ToString(key.KeyMetadata.Arn)

	encrypted, err := c.EC2.CreateVolume(ctx, &ec2.CreateVolumeInput{
		AvailabilityZone: aws.String("us-east-2a"), Size: aws.Int32(10), VolumeType: types.VolumeTypeGp3,
		Encrypted: aws.Bool(true), KmsKeyId: aws.String(keyARN), Iops: aws.Int32(3000),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeVolume,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String("data")}},
		}},
	})
	if err != nil {
		t.Fatalf("CreateVolume encrypted: %v", err)
	}
	plain, err := c.EC2.CreateVolume(ctx, &ec2.CreateVolumeInput{
		AvailabilityZone: aws.String("us-east-2a"), Size: aws.Int32(8), VolumeType: types.VolumeTypeGp2,
	})
	if err != nil {
		t.Fatalf("CreateVolume plain: %v", err)
	}
	inst, err := c.EC2.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-0a1b2c3d"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &types.Placement{AvailabilityZone: aws.String("us-east-2a")},
	})
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	instanceID := aws.ToString(inst.Instances[0].InstanceId)
	if _, err := c.EC2.AttachVolume(ctx, &ec2.AttachVolumeInput{
		VolumeId: plain.VolumeId, InstanceId: aws.String(instanceID), Device: aws.String("/dev/sdf"),
	}); err != nil {
		t.Fatalf("AttachVolume: %v", err)
	}

	recs := collect(t, "aws_ebs_volume", c)
	described, err := c.EC2.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{})
	if err != nil {
		t.Fatalf("DescribeVolumes: %v", err)
	}
	// The instance's root volume is listed too.
	if len(recs) != len(described.Volumes) || len(recs) != 3 {
		t.Errorf("volumes: got %d rows, want %d (2 created and the root volume)", len(recs), len(described.Volumes))
	}
	rows := ec2RowsBy(t, "aws_ebs_volume", recs, "volume_id")

	encID := aws.ToString(encrypted.VolumeId)
	ec2Check(t, "encrypted volume", rows[encID], map[string]any{
		"arn":                   "arn:aws:ec2:us-east-2:123456789012:volume/" + encID,
		"size":                  10,
		"volume_type":           "gp3",
		"encrypted":             true,
		"kms_key_id":            keyARN,
		"state":                 "available",
		"availability_zone":     "us-east-2a",
		"attachments":           "[]",
		"attached_instance_ids": []string{},
		"snapshot_id":           nil,
		"iops":                  3000,
		"tags":                  map[string]string{"Name": "data"},
	})
	if ct, ok := rows[encID]["create_time"].(time.Time); !ok || ct.IsZero() {
		t.Errorf("encrypted volume: create_time: got %#v, want a time", rows[encID]["create_time"])
	}

	plainID := aws.ToString(plain.VolumeId)
	ec2Check(t, "attached volume", rows[plainID], map[string]any{
		"size":                  8,
		"encrypted":             false,
		"kms_key_id":            nil,
		"state":                 "in-use",
		"attached_instance_ids": []string{instanceID},
	})
	var attachments []types.VolumeAttachment
	ec2DecodeJSON(t, "attached volume attachments", rows[plainID]["attachments"], &attachments)
	if len(attachments) != 1 || aws.ToString(attachments[0].Device) != "/dev/sdf" {
		t.Errorf("attached volume: attachments: got %+v, want one on /dev/sdf", attachments)
	}
}

func TestVolumeFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_ebs_volume", "us-east-1")
	rows := ec2RowsBy(t, "aws_ebs_volume", collect(t, "aws_ebs_volume", c), "volume_id")
	if len(rows) != 2 {
		t.Fatalf("volumes: got %d, want 2", len(rows))
	}
	ec2Check(t, "multi-attach volume", rows["vol-0multi"], map[string]any{
		"arn":                   "arn:aws:ec2:us-east-1:111122223333:volume/vol-0multi",
		"size":                  100,
		"volume_type":           "io2",
		"iops":                  5000,
		"encrypted":             true,
		"kms_key_id":            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"multi_attach_enabled":  true,
		"attached_instance_ids": []string{"i-0one", "i-0two"},
		"snapshot_id":           nil, // "" in the file
		"create_time":           time.Date(2024, 2, 3, 4, 5, 6, 789000000, time.UTC),
		"tags":                  map[string]string{"Name": "cluster disk"},
	})
	ec2Check(t, "restored volume", rows["vol-0restored"], map[string]any{
		"state":                 "creating",
		"encrypted":             false,
		"kms_key_id":            nil,
		"snapshot_id":           "snap-0source",
		"attachments":           "[]",
		"attached_instance_ids": []string{},
	})
}
