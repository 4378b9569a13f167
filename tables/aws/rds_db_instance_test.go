package aws

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

func TestRDSInstanceMoto(t *testing.T) {
	c := motoClientsFor(t, "eu-west-1")
	ctx := context.Background()
	const table = "aws_rds_db_instance"

	// Three instances in pages of two: the fetch must follow the marker.
	previous := rdsPageSize
	rdsPageSize = 2
	t.Cleanup(func() { rdsPageSize = previous })

	mustSetUp(t, "create public instance", func() error {
		_, err := c.RDS.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
			DBInstanceIdentifier:            aws.String("public-db"),
			DBInstanceClass:                 aws.String("db.t3.micro"),
			Engine:                          aws.String("postgres"),
			EngineVersion:                   aws.String("16.3"),
			AllocatedStorage:                aws.Int32(20),
			MasterUsername:                  aws.String("admin"),
			MasterUserPassword:              aws.String("not-a-secret-1"),
			PubliclyAccessible:              aws.Bool(true),
			StorageEncrypted:                aws.Bool(false),
			BackupRetentionPeriod:           aws.Int32(0),
			DeletionProtection:              aws.Bool(false),
			VpcSecurityGroupIds:             []string{"sg-0123456789abcdef0"},
			EnableIAMDatabaseAuthentication: aws.Bool(true),
			Tags:                            []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}},
		})
		return err
	})
	for i := 1; i <= 2; i++ {
		mustSetUp(t, "create private instance", func() error {
			_, err := c.RDS.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{
				DBInstanceIdentifier:  aws.String(fmt.Sprintf("private-db-%d", i)),
				DBInstanceClass:       aws.String("db.m5.large"),
				Engine:                aws.String("mysql"),
				AllocatedStorage:      aws.Int32(50),
				MasterUsername:        aws.String("admin"),
				MasterUserPassword:    aws.String("not-a-secret-2"),
				PubliclyAccessible:    aws.Bool(false),
				StorageEncrypted:      aws.Bool(true),
				KmsKeyId:              aws.String("arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"),
				MultiAZ:               aws.Bool(true),
				BackupRetentionPeriod: aws.Int32(7),
				DeletionProtection:    aws.Bool(true),
			})
			return err
		})
	}

	// The test only proves paging if moto honours the page size.
	first, err := c.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(rdsPageSize)})
	if err != nil {
		t.Fatalf("describe first page: %v", err)
	}
	if len(first.DBInstances) != 2 || first.Marker == nil {
		t.Fatalf("got a first page of %d instances with marker %v, want 2 and a marker", len(first.DBInstances), first.Marker)
	}

	recs := collect(t, table, c)
	if len(recs) != 3 {
		t.Fatalf("got %d DB instances, want 3 from two pages", len(recs))
	}
	byID := recordsByColumn(t, recs, "db_instance_identifier")
	expectStoredColumns(t, table, byID, []columnExpectation{
		{"public-db", "arn", "arn:aws:rds:eu-west-1:123456789012:db:public-db"},
		{"public-db", "engine", "postgres"},
		{"public-db", "engine_version", "16.3"},
		{"public-db", "db_instance_class", "db.t3.micro"},
		{"public-db", "status", "available"},
		{"public-db", "publicly_accessible", true},
		{"public-db", "storage_encrypted", false},
		{"public-db", "kms_key_id", nil},
		{"public-db", "backup_retention_period", 0},
		{"public-db", "deletion_protection", false},
		{"public-db", "iam_database_authentication_enabled", true},
		{"public-db", "vpc_security_group_ids", []string{"sg-0123456789abcdef0"}},
		{"public-db", "tags", map[string]string{"env": "test"}},

		{"private-db-1", "engine", "mysql"},
		{"private-db-1", "publicly_accessible", false},
		{"private-db-1", "storage_encrypted", true},
		{"private-db-1", "kms_key_id", "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"},
		{"private-db-1", "multi_az", true},
		{"private-db-1", "backup_retention_period", 7},
		{"private-db-1", "deletion_protection", true},
		{"private-db-1", "endpoint_port", 3306},
		{"private-db-1", "tags", map[string]string{}},
		{"private-db-2", "engine", "mysql"},
	})
	for id, rec := range byID {
		if rec["endpoint_address"] == nil {
			t.Errorf("%s: got no endpoint_address, want the address moto assigns", id)
		}
		if rec["instance_create_time"] == nil {
			t.Errorf("%s: got no instance_create_time, want the creation time", id)
		}
	}
}

func TestRDSInstanceDemoData(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	const table = "aws_rds_db_instance"

	recs := collect(t, table, c)
	if len(recs) != 1 {
		t.Fatalf("got %d DB instances, want 1 as in rds-describe-db-instances.json", len(recs))
	}
	byID := recordsByColumn(t, recs, "db_instance_identifier")
	expectStoredColumns(t, table, byID, []columnExpectation{
		{"database", "arn", "arn:aws:rds:us-east-1:123456789012:db:securitymonkey"},
		{"database", "engine", "postgres"},
		{"database", "engine_version", "9.6.2"},
		{"database", "db_instance_class", "db.t2.micro"},
		{"database", "status", "available"},
		{"database", "publicly_accessible", false},
		{"database", "storage_encrypted", true},
		{"database", "kms_key_id", "arn:aws:kms:us-east-1:123456789012:key/ca455c06-8a9f-4057-949d-b13d298d478b"},
		{"database", "multi_az", false},
		{"database", "auto_minor_version_upgrade", true},
		{"database", "backup_retention_period", 7},
		{"database", "deletion_protection", nil},
		{"database", "iam_database_authentication_enabled", false},
		{"database", "endpoint_address", "database.abcdefghijkl.us-east-1.rds.amazonaws.com"},
		{"database", "endpoint_port", 5432},
		{"database", "vpc_id", "vpc-12345678"},
		{"database", "db_subnet_group_name", "db subnet"},
		{"database", "vpc_security_group_ids", []string{"sg-00000005"}},
		{"database", "ca_certificate_identifier", "rds-ca-2015"},
		{"database", "instance_create_time", time.Date(2017, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"database", "tags", map[string]string{}},
	})
}

func TestRDSInstanceFixtures(t *testing.T) {
	c := testdataClients(t, "aws_rds_db_instance", "eu-west-1")
	const table = "aws_rds_db_instance"

	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d DB instances, want 2", len(recs))
	}
	byID := recordsByColumn(t, recs, "db_instance_identifier")
	expectStoredColumns(t, table, byID, []columnExpectation{
		{"orders", "engine", "aurora-postgresql"},
		{"orders", "publicly_accessible", true},
		{"orders", "auto_minor_version_upgrade", false},
		{"orders", "deletion_protection", true},
		{"orders", "iam_database_authentication_enabled", true},
		{"orders", "vpc_security_group_ids", []string{"sg-0aaa", "sg-0bbb"}},
		{"orders", "vpc_id", "vpc-0aaa"},
		{"orders", "instance_create_time", time.Date(2024, 5, 6, 7, 8, 9, 123000000, time.UTC)},
		{"orders", "tags", map[string]string{"app": "orders"}},

		// An instance being created has no endpoint or subnet group yet.
		{"new-db", "status", "creating"},
		{"new-db", "endpoint_address", nil},
		{"new-db", "endpoint_port", nil},
		{"new-db", "vpc_id", nil},
		{"new-db", "db_subnet_group_name", nil},
		{"new-db", "vpc_security_group_ids", []string{}},
		{"new-db", "backup_retention_period", 0},
		{"new-db", "tags", map[string]string{}},
	})
}
