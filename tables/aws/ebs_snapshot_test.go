package aws

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestSnapshotMoto(t *testing.T) {
	c, _ := motoEC2(t, "ap-south-1")
	ctx := context.Background()
	vol, err := c.EC2.CreateVolume(ctx, &ec2.CreateVolumeInput{
		AvailabilityZone: aws.String("ap-south-1a"), Size: aws.Int32(20), Encrypted: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("CreateVolume: %v", err)
	}
	snapshot := func(description string) string {
		out, err := c.EC2.CreateSnapshot(ctx, &ec2.CreateSnapshotInput{
			VolumeId: vol.VolumeId, Description: aws.String(description),
			TagSpecifications: []types.TagSpecification{{
				ResourceType: types.ResourceTypeSnapshot,
				Tags:         []types.Tag{{Key: aws.String("kind"), Value: aws.String(description)}},
			}},
		})
		if err != nil {
			t.Fatalf("CreateSnapshot %s: %v", description, err)
		}
		return aws.ToString(out.SnapshotId)
	}
	publicID, sharedID, privateID := snapshot("public"), snapshot("shared"), snapshot("private")

	if _, err := c.EC2.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{
		SnapshotId: aws.String(publicID), Attribute: types.SnapshotAttributeNameCreateVolumePermission,
		OperationType: types.OperationTypeAdd, GroupNames: []string{"all"},
	}); err != nil {
		t.Fatalf("ModifySnapshotAttribute public: %v", err)
	}
	if _, err := c.EC2.ModifySnapshotAttribute(ctx, &ec2.ModifySnapshotAttributeInput{
		SnapshotId: aws.String(sharedID), Attribute: types.SnapshotAttributeNameCreateVolumePermission,
		OperationType: types.OperationTypeAdd, UserIds: []string{"111122223333"},
	}); err != nil {
		t.Fatalf("ModifySnapshotAttribute shared: %v", err)
	}

	recs := collect(t, "aws_ebs_snapshot", c)
	rows := ec2RowsBy(t, "aws_ebs_snapshot", recs, "snapshot_id")
	if len(rows) != 3 {
		t.Errorf("snapshots: got %d, want 3", len(rows))
	}
	ec2Check(t, "public snapshot", rows[publicID], map[string]any{
		"arn":                       "arn:aws:ec2:ap-south-1::snapshot/" + publicID,
		"volume_id":                 aws.ToString(vol.VolumeId),
		"description":               "public",
		"encrypted":                 true,
		"state":                     "completed",
		"volume_size":               20,
		"owner_id":                  "123456789012",
		"is_public":                 true,
		"create_volume_permissions": `[{"Group":"all","UserId":null}]`,
		"tags":                      map[string]string{"kind": "public"},
	})
	if st, ok := rows[publicID]["start_time"].(time.Time); !ok || st.IsZero() {
		t.Errorf("public snapshot: start_time: got %#v, want a time", rows[publicID]["start_time"])
	}
	ec2Check(t, "shared snapshot", rows[sharedID], map[string]any{
		"is_public":                 false,
		"create_volume_permissions": `[{"Group":"","UserId":"111122223333"}]`,
	})
	ec2Check(t, "private snapshot", rows[privateID], map[string]any{
		"is_public":                 false,
		"create_volume_permissions": "[]",
	})
}

func TestSnapshotDemo(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	if recs := collect(t, "aws_ebs_snapshot", c); len(recs) != 0 {
		t.Errorf("snapshots: got %d, want 0 as ec2-describe-snapshots.json lists none", len(recs))
	}
}

func TestSnapshotFixture(t *testing.T) {
	c := ec2Fixture(t, "aws_ebs_snapshot", "us-east-1")
	rows := ec2RowsBy(t, "aws_ebs_snapshot", collect(t, "aws_ebs_snapshot", c), "snapshot_id")
	// snap-0gone was deleted between the list and the attribute call, and
	// snap-0foreign belongs to another account.
	if len(rows) != 5 {
		t.Errorf("snapshots: got %d, want 5 (7 listed, 1 deleted since, 1 of another account)", len(rows))
	}
	if _, ok := rows["snap-0gone"]; ok {
		t.Errorf("snap-0gone: got a row, want none for a snapshot deleted after listing")
	}
	if _, ok := rows["snap-0foreign"]; ok {
		t.Errorf("snap-0foreign: got a row, want none for a snapshot of another account")
	}
	cases := []struct {
		id   string
		want map[string]any
	}{
		{"snap-0public", map[string]any{
			"arn": "arn:aws:ec2:us-east-1::snapshot/snap-0public", "is_public": true, "encrypted": false,
			"kms_key_id": nil, "volume_size": 8, "description": "public AMI root",
			"start_time": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		}},
		{"snap-0shared", map[string]any{
			"is_public": false, "create_volume_permissions": `[{"Group":"","UserId":"444455556666"}]`,
			"kms_key_id": "arn:aws:kms:us-east-1:111122223333:key/k1",
		}},
		{"snap-0private", map[string]any{"is_public": false, "create_volume_permissions": "[]", "volume_id": "vol-ffffffff"}},
		// Access denied and a missing file both mean "unknown": NULL.
		{"snap-0denied", map[string]any{"is_public": nil, "create_volume_permissions": nil, "volume_size": 16}},
		{"snap-0missing", map[string]any{"is_public": nil, "create_volume_permissions": nil}},
	}
	for _, tc := range cases {
		ec2Check(t, tc.id, rows[tc.id], tc.want)
	}
}

func TestSnapshotAttributeError(t *testing.T) {
	// In us-west-2 every attribute call fails with InternalError, which
	// must fail the partition.
	c := ec2Fixture(t, "aws_ebs_snapshot", "us-west-2")
	err := ec2FetchError(t, "aws_ebs_snapshot", c)
	if !IsErrorCode(err, "InternalError") {
		t.Errorf("got error %v, want code InternalError", err)
	}
}
