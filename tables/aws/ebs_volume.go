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
		Name:        "aws_ebs_volume",
		Description: "EBS volumes with their encryption, type, size and attachments.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the volume, arn:aws:ec2:<region>:<account>:volume/<id>."},
			{Name: "volume_id", Type: store.TypeText, Description: "ID of the volume, such as vol-0123456789abcdef0."},
			{Name: "size", Type: store.TypeInt, Description: "Size of the volume in GiB."},
			{Name: "volume_type", Type: store.TypeText, Description: "Volume type: gp2, gp3, io1, io2, st1, sc1 or standard."},
			{Name: "encrypted", Type: store.TypeBool, Description: "True when the volume is encrypted."},
			{Name: "kms_key_id", Type: store.TypeText, Description: "ARN of the KMS key that encrypts the volume, NULL when it is not encrypted."},
			{Name: "state", Type: store.TypeText, Description: "State: creating, available, in-use, deleting, deleted or error."},
			{Name: "availability_zone", Type: store.TypeText, Description: "Availability zone of the volume."},
			{Name: "attachments", Type: store.TypeJSON, Description: "Attachments to instances as the API returns them, [] when the volume is detached."},
			{Name: "attached_instance_ids", Type: store.TypeTextList, Description: "IDs of the instances the volume is attached to."},
			{Name: "snapshot_id", Type: store.TypeText, Description: "ID of the snapshot the volume was created from, NULL when none was."},
			{Name: "create_time", Type: store.TypeTimestamp, Description: "Time the volume was created."},
			{Name: "iops", Type: store.TypeInt, Description: "Provisioned or baseline I/O operations per second."},
			{Name: "multi_attach_enabled", Type: store.TypeBool, Description: "True when the volume can attach to several instances at once."},
		},
	}, fetchVolumes)
}

func fetchVolumes(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := ec2.NewDescribeVolumesPaginator(c.EC2, &ec2.DescribeVolumesInput{}, func(o *ec2.DescribeVolumesPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe volumes: %w", err)
		}
		for _, v := range page.Volumes {
			if err := emit(volumeRecord(c, v)); err != nil {
				return err
			}
		}
	}
	return nil
}

func volumeRecord(c *Clients, v types.Volume) tables.Record {
	id := aws.ToString(v.VolumeId)
	arn := aws.ToString(v.VolumeArn)
	if arn == "" {
		arn = ec2ARN(c, "", "volume/"+id)
	}
	instances := make([]string, 0, len(v.Attachments))
	for _, a := range v.Attachments {
		if inst := aws.ToString(a.InstanceId); inst != "" {
			instances = append(instances, inst)
		}
	}
	return tables.Record{
		"arn":                   arn,
		"volume_id":             id,
		"size":                  v.Size,
		"volume_type":           textOrNil(string(v.VolumeType)),
		"encrypted":             v.Encrypted,
		"kms_key_id":            textOrNil(aws.ToString(v.KmsKeyId)),
		"state":                 textOrNil(string(v.State)),
		"availability_zone":     v.AvailabilityZone,
		"attachments":           listOrEmpty(v.Attachments),
		"attached_instance_ids": instances,
		"snapshot_id":           textOrNil(aws.ToString(v.SnapshotId)),
		"create_time":           v.CreateTime,
		"iops":                  v.Iops,
		"multi_attach_enabled":  v.MultiAttachEnabled,
		"tags":                  Tags(v.Tags),
		"raw":                   v,
	}
}
