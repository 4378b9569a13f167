package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_efs_file_system",
		Description: "EFS file systems with their encryption, performance settings and file system policy.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the file system."},
			{Name: "file_system_id", Type: store.TypeText, Description: "ID of the file system, such as fs-0123456789abcdef0."},
			{Name: "name", Type: store.TypeText, Description: "Value of the file system's Name tag."},
			{Name: "encrypted", Type: store.TypeBool, Description: "True when data at rest is encrypted."},
			{Name: "kms_key_id", Type: store.TypeText, Description: "ARN of the KMS key that encrypts the file system. NULL when not encrypted."},
			{Name: "performance_mode", Type: store.TypeText, Description: "generalPurpose or maxIO."},
			{Name: "throughput_mode", Type: store.TypeText, Description: "bursting, provisioned or elastic."},
			{Name: "provisioned_throughput_in_mibps", Type: store.TypeFloat, Description: "Provisioned throughput in MiB/s, set in provisioned throughput mode only."},
			{Name: "life_cycle_state", Type: store.TypeText, Description: "creating, available, updating, deleting, deleted or error."},
			{Name: "size_in_bytes", Type: store.TypeInt, Description: "Metered size of the data stored, in bytes, as last measured by EFS (not real time)."},
			{Name: "number_of_mount_targets", Type: store.TypeInt, Description: "Number of mount targets of the file system."},
			{Name: "availability_zone_name", Type: store.TypeText, Description: "Availability zone of a One Zone file system. NULL for a Regional one."},
			{Name: "creation_time", Type: store.TypeTimestamp, Description: "Time the file system was created."},
			{Name: "policy", Type: store.TypeJSON, Description: "File system policy as a JSON document. NULL when the file system has none or it could not be read."},
		},
	}, fetchEFSFileSystems)
}

// efsFileSystemRaw is the raw column of aws_efs_file_system: the file
// system with its policy.
type efsFileSystemRaw struct {
	efstypes.FileSystemDescription
	Policy *string `json:",omitempty"`
}

func fetchEFSFileSystems(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := efs.NewDescribeFileSystemsPaginator(c.EFS, &efs.DescribeFileSystemsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe file systems: %w", err)
		}
		for _, fs := range page.FileSystems {
			rec, err := efsFileSystemRecord(ctx, c, fs)
			if err != nil {
				return err
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

func efsFileSystemRecord(ctx context.Context, c *Clients, fs efstypes.FileSystemDescription) (tables.Record, error) {
	raw := efsFileSystemRaw{FileSystemDescription: fs}
	rec := tables.Record{
		"arn":                             fs.FileSystemArn,
		"file_system_id":                  fs.FileSystemId,
		"name":                            fs.Name,
		"encrypted":                       fs.Encrypted,
		"kms_key_id":                      fs.KmsKeyId,
		"performance_mode":                emptyToNull(string(fs.PerformanceMode)),
		"throughput_mode":                 emptyToNull(string(fs.ThroughputMode)),
		"provisioned_throughput_in_mibps": fs.ProvisionedThroughputInMibps,
		"life_cycle_state":                emptyToNull(string(fs.LifeCycleState)),
		"number_of_mount_targets":         fs.NumberOfMountTargets,
		"availability_zone_name":          fs.AvailabilityZoneName,
		"creation_time":                   fs.CreationTime,
		"tags":                            Tags(fs.Tags),
		"raw":                             &raw,
	}
	if fs.SizeInBytes != nil {
		rec["size_in_bytes"] = fs.SizeInBytes.Value
	}

	id := aws.ToString(fs.FileSystemId)
	out, err := c.EFS.DescribeFileSystemPolicy(ctx, &efs.DescribeFileSystemPolicyInput{FileSystemId: aws.String(id)})
	switch {
	case IsErrorCode(err, "PolicyNotFound", "FileSystemNotFound"):
		// No policy, or the file system was deleted after it was listed.
	case isUnknownDetailError(err):
	case err != nil:
		return nil, fmt.Errorf("describe policy of file system %s: %w", id, err)
	default:
		policy, err := PolicyJSON(out.Policy)
		if err != nil {
			return nil, fmt.Errorf("file system %s: %w", id, err)
		}
		rec["policy"] = policy
		raw.Policy = out.Policy
	}
	return rec, nil
}
