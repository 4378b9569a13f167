package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// rdsPageSize is the MaxRecords of each DescribeDBInstances call: 100, the
// largest page RDS allows. Tests lower it to force several pages.
var rdsPageSize int32 = 100

func init() {
	register(&tables.Table{
		Name:        "aws_rds_db_instance",
		Description: "RDS database instances with their engine, network exposure, encryption and backup settings.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the DB instance."},
			{Name: "db_instance_identifier", Type: store.TypeText, Description: "Name of the DB instance, unique in the account and region."},
			{Name: "engine", Type: store.TypeText, Description: "Database engine, such as mysql, postgres, aurora-postgresql or sqlserver-se."},
			{Name: "engine_version", Type: store.TypeText, Description: "Version of the database engine."},
			{Name: "db_instance_class", Type: store.TypeText, Description: "Compute and memory class, such as db.t3.micro."},
			{Name: "status", Type: store.TypeText, Description: "State of the instance, such as available, stopped or creating."},
			{Name: "publicly_accessible", Type: store.TypeBool, Description: "True when the instance's DNS name resolves to a public IP address."},
			{Name: "storage_encrypted", Type: store.TypeBool, Description: "True when the instance's storage is encrypted at rest."},
			{Name: "kms_key_id", Type: store.TypeText, Description: "ARN of the KMS key that encrypts the storage."},
			{Name: "multi_az", Type: store.TypeBool, Description: "True when the instance has a standby in another Availability Zone."},
			{Name: "auto_minor_version_upgrade", Type: store.TypeBool, Description: "True when minor engine upgrades are applied in the maintenance window."},
			{Name: "backup_retention_period", Type: store.TypeInt, Description: "Days that automated backups are kept; 0 means automated backups are off."},
			{Name: "deletion_protection", Type: store.TypeBool, Description: "True when the instance cannot be deleted until this is turned off."},
			{Name: "iam_database_authentication_enabled", Type: store.TypeBool, Description: "True when IAM database authentication is enabled."},
			{Name: "endpoint_address", Type: store.TypeText, Description: "DNS name of the instance's endpoint; NULL while it is being created."},
			{Name: "endpoint_port", Type: store.TypeInt, Description: "TCP port of the instance's endpoint."},
			{Name: "vpc_id", Type: store.TypeText, Description: "VPC of the instance's DB subnet group."},
			{Name: "db_subnet_group_name", Type: store.TypeText, Description: "Name of the instance's DB subnet group."},
			{Name: "vpc_security_group_ids", Type: store.TypeTextList, Description: "IDs of the VPC security groups attached to the instance."},
			{Name: "ca_certificate_identifier", Type: store.TypeText, Description: "CA certificate of the server certificate, such as rds-ca-rsa2048-g1."},
			{Name: "instance_create_time", Type: store.TypeTimestamp, Description: "Time the instance was created."},
		},
	}, fetchRDSInstances)
}

func fetchRDSInstances(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := rds.NewDescribeDBInstancesPaginator(c.RDS, &rds.DescribeDBInstancesInput{MaxRecords: aws.Int32(rdsPageSize)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe DB instances: %w", err)
		}
		for _, db := range page.DBInstances {
			if err := emit(rdsInstanceRecord(db)); err != nil {
				return err
			}
		}
	}
	return nil
}

func rdsInstanceRecord(db types.DBInstance) tables.Record {
	rec := tables.Record{
		"arn":                                 db.DBInstanceArn,
		"db_instance_identifier":              db.DBInstanceIdentifier,
		"engine":                              db.Engine,
		"engine_version":                      db.EngineVersion,
		"db_instance_class":                   db.DBInstanceClass,
		"status":                              db.DBInstanceStatus,
		"publicly_accessible":                 db.PubliclyAccessible,
		"storage_encrypted":                   db.StorageEncrypted,
		"kms_key_id":                          db.KmsKeyId,
		"multi_az":                            db.MultiAZ,
		"auto_minor_version_upgrade":          db.AutoMinorVersionUpgrade,
		"backup_retention_period":             db.BackupRetentionPeriod,
		"deletion_protection":                 db.DeletionProtection,
		"iam_database_authentication_enabled": db.IAMDatabaseAuthenticationEnabled,
		"ca_certificate_identifier":           db.CACertificateIdentifier,
		"instance_create_time":                db.InstanceCreateTime,
		"tags":                                Tags(db.TagList),
		"raw":                                 db,
	}
	if db.Endpoint != nil {
		rec["endpoint_address"] = db.Endpoint.Address
		rec["endpoint_port"] = db.Endpoint.Port
	}
	if db.DBSubnetGroup != nil {
		rec["vpc_id"] = db.DBSubnetGroup.VpcId
		rec["db_subnet_group_name"] = db.DBSubnetGroup.DBSubnetGroupName
	}
	groups := make([]string, 0, len(db.VpcSecurityGroups))
	for _, g := range db.VpcSecurityGroups {
		if g.VpcSecurityGroupId != nil {
			groups = append(groups, *g.VpcSecurityGroupId)
		}
	}
	rec["vpc_security_group_ids"] = groups
	return rec
}
