package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	configtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_config_configuration_recorder",
		Description: "The customer managed AWS Config configuration recorder of each region, with what it records and whether it is recording. " +
			"A region without rows has no such recorder, provided that its partition succeeded (status ok in stance_sync_partition). " +
			"Service-linked recorders are not included.",
		Key: "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "arn:<partition>:config:<region>:<account>:configuration-recorder/<name>, built by stance so that it is the same for every source. The ARN that AWS returns is in raw."},
			{Name: "name", Type: store.TypeText, Description: `Name of the recorder, usually "default".`},
			{Name: "role_arn", Type: store.TypeText, Description: "IAM role that Config assumes to read resource configurations."},
			{Name: "all_supported", Type: store.TypeBool, Description: "True when the recorder records every supported resource type of the region."},
			{Name: "include_global_resource_types", Type: store.TypeBool, Description: "True when the recorder also records global resource types such as IAM users."},
			{Name: "resource_types", Type: store.TypeTextList, Description: "Resource types recorded when all_supported is false, such as AWS::EC2::Instance."},
			{Name: "recording_strategy", Type: store.TypeText, Description: "ALL_SUPPORTED_RESOURCE_TYPES, INCLUSION_BY_RESOURCE_TYPES or EXCLUSION_BY_RESOURCE_TYPES."},
			{Name: "recording_frequency", Type: store.TypeText, Description: "Default recording frequency: CONTINUOUS or DAILY."},
			{Name: "recording", Type: store.TypeBool, Description: "True when the recorder is running. NULL when its status is unknown."},
			{Name: "last_status", Type: store.TypeText, Description: "Status of the last recording event: Pending, Success or Failure."},
			{Name: "last_start_time", Type: store.TypeTimestamp, Description: "Time the recorder last started."},
			{Name: "last_stop_time", Type: store.TypeTimestamp, Description: "Time the recorder last stopped."},
			{Name: "last_error_code", Type: store.TypeText, Description: "Error code of the last recording failure. NULL when none."},
		},
		IgnoreInDrift: []string{
			"raw.Status.LastStatusChangeTime",
		},
	}, fetchConfigRecorders)
}

// configRecorderRaw is the raw column of aws_config_configuration_recorder:
// the recorder with its status.
type configRecorderRaw struct {
	configtypes.ConfigurationRecorder
	Status *configtypes.ConfigurationRecorderStatus `json:",omitempty"`
}

func fetchConfigRecorders(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	out, err := c.Config.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{})
	if err != nil {
		return fmt.Errorf("describe configuration recorders: %w", err)
	}
	if len(out.ConfigurationRecorders) == 0 {
		return nil
	}

	// Without a name, both calls return the customer managed recorder
	// only. When the status cannot be read, its columns stay NULL.
	statuses := map[string]*configtypes.ConfigurationRecorderStatus{}
	statusOut, err := c.Config.DescribeConfigurationRecorderStatus(ctx, &configservice.DescribeConfigurationRecorderStatusInput{})
	switch {
	case isUnknownDetailError(err):
	case err != nil:
		return fmt.Errorf("describe configuration recorder status: %w", err)
	default:
		for i := range statusOut.ConfigurationRecordersStatus {
			s := &statusOut.ConfigurationRecordersStatus[i]
			statuses[aws.ToString(s.Name)] = s
		}
	}

	for _, r := range out.ConfigurationRecorders {
		name := aws.ToString(r.Name)
		rec := tables.Record{
			"arn":      ARN(c.Partition, "config", c.Region, c.AccountID, "configuration-recorder/"+name),
			"name":     name,
			"role_arn": r.RoleARN,
		}
		if g := r.RecordingGroup; g != nil {
			rec["all_supported"] = g.AllSupported
			rec["include_global_resource_types"] = g.IncludeGlobalResourceTypes
			rec["resource_types"] = g.ResourceTypes
			if g.RecordingStrategy != nil {
				rec["recording_strategy"] = emptyToNull(string(g.RecordingStrategy.UseOnly))
			}
		}
		if r.RecordingMode != nil {
			rec["recording_frequency"] = emptyToNull(string(r.RecordingMode.RecordingFrequency))
		}
		status := statuses[name]
		if status != nil {
			rec["recording"] = status.Recording
			rec["last_status"] = emptyToNull(string(status.LastStatus))
			rec["last_start_time"] = status.LastStartTime
			rec["last_stop_time"] = status.LastStopTime
			rec["last_error_code"] = status.LastErrorCode
		}
		rec["raw"] = configRecorderRaw{ConfigurationRecorder: r, Status: status}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}
