package aws

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEFSFixture(t *testing.T) {
	c := testdataClients(t, "aws_efs_file_system", "us-east-1")
	rows := storedRowsBy(t, "aws_efs_file_system", "arn", collect(t, "aws_efs_file_system", c))
	if len(rows) != 3 {
		t.Fatalf("got %d file systems %v, want 3", len(rows), sortedRowKeys(rows))
	}

	const arnPrefix = "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/"
	tests := []struct {
		id   string
		want map[string]any
	}{
		{
			id: "fs-0a1b2c3d4e5f60718",
			want: map[string]any{
				"file_system_id":                  "fs-0a1b2c3d4e5f60718",
				"name":                            "shared-data",
				"encrypted":                       true,
				"kms_key_id":                      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
				"performance_mode":                "generalPurpose",
				"throughput_mode":                 "bursting",
				"provisioned_throughput_in_mibps": nil,
				"life_cycle_state":                "available",
				"size_in_bytes":                   int64(6144),
				"number_of_mount_targets":         int64(2),
				"availability_zone_name":          nil,
				"creation_time":                   parseWantTime(t, "2023-04-05T06:07:08Z"),
				"policy": json.RawMessage(`{"Version":"2012-10-17","Id":"efs-policy","Statement":[{"Sid":"deny-insecure","Effect":"Deny","Principal":{"AWS":"*"},"Action":"*",` +
					`"Resource":"arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0a1b2c3d4e5f60718","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
			},
		},
		{
			// One Zone, unencrypted, provisioned throughput, no policy
			// (PolicyNotFound).
			id: "fs-00000000000000001",
			want: map[string]any{
				"name":                            nil,
				"encrypted":                       false,
				"kms_key_id":                      nil,
				"performance_mode":                "maxIO",
				"throughput_mode":                 "provisioned",
				"provisioned_throughput_in_mibps": 128.5,
				"size_in_bytes":                   int64(0),
				"number_of_mount_targets":         int64(0),
				"availability_zone_name":          "us-east-1a",
				"creation_time":                   parseWantTime(t, "2017-07-14T02:40:00Z"),
				"policy":                          nil,
			},
		},
		{
			// DescribeFileSystemPolicy denied: policy unknown, row kept.
			id: "fs-0ffffffffffffffff",
			want: map[string]any{
				"life_cycle_state": "creating",
				"throughput_mode":  "elastic",
				"policy":           nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			row, ok := rows[arnPrefix+tt.id]
			if !ok {
				t.Fatalf("no row for %s; got %v", tt.id, sortedRowKeys(rows))
			}
			expectColumns(t, tt.id, row, tt.want)
		})
	}

	raw, _ := rows[arnPrefix+"fs-0a1b2c3d4e5f60718"]["raw"].(string)
	if !strings.Contains(raw, `"ReplicationOverwriteProtection":"ENABLED"`) {
		t.Errorf("raw of fs-0a1b2c3d4e5f60718 lacks FileSystemProtection: %s", raw)
	}
	if !strings.Contains(raw, `"Policy":"{`) {
		t.Errorf("raw of fs-0a1b2c3d4e5f60718 lacks the policy: %s", raw)
	}
}

func TestEFSPolicyErrorFailsPartition(t *testing.T) {
	c := testdataClients(t, "aws_efs_file_system", "eu-west-1")
	_, err := fetchRecordsOrError(t, "aws_efs_file_system", c)
	if !IsErrorCode(err, "InternalServerError") {
		t.Fatalf("got error %v, want InternalServerError", err)
	}
	if !strings.Contains(err.Error(), "fs-0e0e0e0e0e0e0e0e0") {
		t.Errorf("got error %q, want it to name the file system", err)
	}
}

func TestEFSDemoDataNotCollected(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	if _, err := fetchRecordsOrError(t, "aws_efs_file_system", c); !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected: the demo data has no efs-describe-file-systems.json", err)
	}
}
