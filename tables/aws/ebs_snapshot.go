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
		Name:        "aws_ebs_snapshot",
		Description: "EBS snapshots owned by the account, with their encryption and whether anyone may create volumes from them.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the snapshot, arn:aws:ec2:<region>::snapshot/<id> (EBS snapshot ARNs have no account)."},
			{Name: "snapshot_id", Type: store.TypeText, Description: "ID of the snapshot, such as snap-0123456789abcdef0."},
			{Name: "volume_id", Type: store.TypeText, Description: "ID of the volume the snapshot was taken from; vol-ffffffff for a copied snapshot."},
			{Name: "description", Type: store.TypeText, Description: "Description of the snapshot."},
			{Name: "encrypted", Type: store.TypeBool, Description: "True when the snapshot is encrypted."},
			{Name: "kms_key_id", Type: store.TypeText, Description: "ARN of the KMS key that encrypts the snapshot, NULL when it is not encrypted."},
			{Name: "state", Type: store.TypeText, Description: "State: pending, completed, error, recoverable, recovering."},
			{Name: "start_time", Type: store.TypeTimestamp, Description: "Time the snapshot was started."},
			{Name: "volume_size", Type: store.TypeInt, Description: "Size of the source volume in GiB."},
			{Name: "owner_id", Type: store.TypeText, Description: "Account that owns the snapshot."},
			{Name: "is_public", Type: store.TypeBool, Description: "True when createVolumePermission grants the group all, so any AWS account can copy the data; NULL when the permission could not be read."},
			{Name: "create_volume_permissions", Type: store.TypeJSON, Description: "Accounts and groups allowed to create volumes from the snapshot ([] when only the owner may); NULL when it could not be read."},
		},
	}, fetchSnapshots)
}

// snapshotDetail is the raw object of a snapshot: the API object with the
// createVolumePermission attribute, nil when it could not be read.
type snapshotDetail struct {
	types.Snapshot
	CreateVolumePermissions []types.CreateVolumePermission
}

func fetchSnapshots(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	// Without OwnerIds, DescribeSnapshots also lists the public snapshots of
	// every other account, which do not belong in this table.
	pages := ec2.NewDescribeSnapshotsPaginator(c.EC2, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}}, func(o *ec2.DescribeSnapshotsPaginatorOptions) {
		o.Limit = ec2PageSize
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe snapshots: %w", err)
		}
		for _, s := range page.Snapshots {
			// AWS honours OwnerIds, but moto 5.2.1 ignores it and a CLI
			// collection made without --owner-ids lists others' snapshots.
			if owner := aws.ToString(s.OwnerId); owner != "" && owner != c.AccountID {
				continue
			}
			perms, found, err := snapshotVolumePermissions(ctx, c, aws.ToString(s.SnapshotId))
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if err := emit(snapshotRecord(c, snapshotDetail{Snapshot: s, CreateVolumePermissions: perms})); err != nil {
				return err
			}
		}
	}
	return nil
}

// snapshotVolumePermissions reads the createVolumePermission attribute of
// a snapshot. It returns a nil list when the attribute is unknown (access
// denied, or missing from an offline source), an empty list when only the
// owner may create volumes, and found false when the snapshot was deleted
// after it was listed.
func snapshotVolumePermissions(ctx context.Context, c *Clients, id string) (perms []types.CreateVolumePermission, found bool, err error) {
	out, err := c.EC2.DescribeSnapshotAttribute(ctx, &ec2.DescribeSnapshotAttributeInput{
		SnapshotId: aws.String(id),
		Attribute:  types.SnapshotAttributeNameCreateVolumePermission,
	})
	switch {
	case err == nil:
		return listOrEmpty(out.CreateVolumePermissions), true, nil
	case IsNotCollected(err) || isEC2AccessDenied(err):
		return nil, true, nil
	case IsErrorCode(err, "InvalidSnapshot.NotFound"):
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("describe createVolumePermission of snapshot %s: %w", id, err)
}

func snapshotRecord(c *Clients, d snapshotDetail) tables.Record {
	id := aws.ToString(d.SnapshotId)
	rec := tables.Record{
		"arn":         ARN(c.Partition, "ec2", c.Region, "", "snapshot/"+id),
		"snapshot_id": id,
		"volume_id":   d.VolumeId,
		"description": textOrNil(aws.ToString(d.Description)),
		"encrypted":   d.Encrypted,
		"kms_key_id":  textOrNil(aws.ToString(d.KmsKeyId)),
		"state":       textOrNil(string(d.State)),
		"start_time":  d.StartTime,
		"volume_size": d.VolumeSize,
		"owner_id":    d.OwnerId,
		"tags":        Tags(d.Tags),
		"raw":         d,
	}
	if d.CreateVolumePermissions != nil {
		public := false
		for _, p := range d.CreateVolumePermissions {
			if p.Group == types.PermissionGroupAll {
				public = true
			}
		}
		rec["is_public"] = public
		rec["create_volume_permissions"] = d.CreateVolumePermissions
	}
	return rec
}
