package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	efstypes "github.com/aws/aws-sdk-go-v2/service/efs/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
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

func TestEFSMoto(t *testing.T) {
	ctx := context.Background()
	c := motoRegionClients(t, "eu-west-2")

	data, err := c.EFS.CreateFileSystem(ctx, &efs.CreateFileSystemInput{
		CreationToken:   aws.String("data"),
		Encrypted:       aws.Bool(true),
		PerformanceMode: efstypes.PerformanceModeGeneralPurpose,
		ThroughputMode:  efstypes.ThroughputModeElastic,
		Tags:            []efstypes.Tag{{Key: aws.String("Name"), Value: aws.String("data")}, {Key: aws.String("team"), Value: aws.String("platform")}},
	})
	if err != nil {
		t.Fatalf("CreateFileSystem data: %v", err)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"tls","Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Resource":"` +
		aws.ToString(data.FileSystemArn) + `","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	if _, err := c.EFS.PutFileSystemPolicy(ctx, &efs.PutFileSystemPolicyInput{FileSystemId: data.FileSystemId, Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutFileSystemPolicy: %v", err)
	}
	// moto returns DescribeFileSystems pages of 10 file systems, so 11 take
	// two pages.
	for i := 0; i < 10; i++ {
		if _, err := c.EFS.CreateFileSystem(ctx, &efs.CreateFileSystemInput{CreationToken: aws.String(fmt.Sprintf("bulk-%02d", i))}); err != nil {
			t.Fatalf("CreateFileSystem bulk-%02d: %v", i, err)
		}
	}

	rows := storedRowsBy(t, "aws_efs_file_system", "file_system_id", collect(t, "aws_efs_file_system", c))
	if len(rows) != 11 {
		t.Fatalf("got %d file systems, want 11", len(rows))
	}
	row := rows[aws.ToString(data.FileSystemId)]
	if row == nil {
		t.Fatalf("file system %s missing", aws.ToString(data.FileSystemId))
	}
	expectColumns(t, "data", row, map[string]any{
		"arn":              aws.ToString(data.FileSystemArn),
		"name":             "data",
		"encrypted":        true,
		"performance_mode": "generalPurpose",
		"throughput_mode":  "elastic",
		"life_cycle_state": "available",
		"policy":           json.RawMessage(policy),
	})
	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"Name": "data", "team": "platform"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row["tags"], wantTags) {
		t.Errorf("data: got tags %v, want %v", row["tags"], wantTags)
	}

	for id, r := range rows {
		if id == aws.ToString(data.FileSystemId) {
			continue
		}
		// PolicyNotFound: NULL policy, and the partition succeeds.
		if r["policy"] != nil {
			t.Errorf("%s: got policy %v, want NULL", id, r["policy"])
		}
		if r["encrypted"] != false {
			t.Errorf("%s: got encrypted %v, want false", id, r["encrypted"])
		}
	}
}
