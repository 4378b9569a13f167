package aws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_iam_access_key",
		Description: "Access keys of IAM users with their status and last use. The root user's keys are not listed here: " +
			"see aws_iam_credential_report (user <root_account>) and aws_iam_account_summary.",
		Key:    "access_key_id",
		Global: true,
		Columns: []store.Column{
			{Name: "access_key_id", Type: store.TypeText, Description: "Id of the access key, starting with AKIA."},
			{Name: "user_name", Type: store.TypeText, Description: "Name of the user that owns the key."},
			{Name: "user_arn", Type: store.TypeText, Description: "ARN of the user that owns the key."},
			{Name: "status", Type: store.TypeText, Description: "Active or Inactive."},
			{Name: "create_date", Type: store.TypeTimestamp, Description: "Time the key was created."},
			{Name: "last_used_date", Type: store.TypeTimestamp, Description: "Time the key last signed a request, tracked since April 2015; NULL when never used or unknown."},
			{Name: "last_used_service", Type: store.TypeText, Description: "Service, such as s3, that the key last called; NULL when never used or unknown."},
			{Name: "last_used_region", Type: store.TypeText, Description: "Region of the key's last request; NULL when never used or unknown."},
		},
		IgnoreInDrift: []string{
			"last_used_date",
			"last_used_service",
			"last_used_region",
			"raw.LastUsed",
		},
	}, fetchIAMAccessKeys)
}

// iamAccessKeyRaw is the raw column of aws_iam_access_key: the key's
// ListAccessKeys entry and, when known, its GetAccessKeyLastUsed result.
type iamAccessKeyRaw struct {
	AccessKey types.AccessKeyMetadata
	LastUsed  *types.AccessKeyLastUsed `json:",omitempty"`
}

func fetchIAMAccessKeys(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	users, err := iamListUsers(c)(ctx)
	if err != nil {
		return fmt.Errorf("list users: %w", err)
	}
	for _, u := range users {
		name := aws.ToString(u.UserName)
		keys, err := iamUserAccessKeys(ctx, c, name)
		if IsErrorCode(err, "NoSuchEntity") {
			continue // deleted during the sync
		}
		if err != nil {
			return err
		}
		for _, k := range keys {
			rec, err := iamAccessKeyRecord(ctx, c, u, k)
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

// iamUserAccessKeys lists the access keys of one user. ListAccessKeys is
// the call that finds the keys, so every error of it is returned: a key
// list that is unknown must not look like a user without keys.
func iamUserAccessKeys(ctx context.Context, c *Clients, name string) ([]types.AccessKeyMetadata, error) {
	var keys []types.AccessKeyMetadata
	pages := iam.NewListAccessKeysPaginator(c.IAM, &iam.ListAccessKeysInput{UserName: aws.String(name), MaxItems: iamPageSize})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list access keys of user %s: %w", name, err)
		}
		keys = append(keys, page.AccessKeyMetadata...)
	}
	return keys, nil
}

func iamAccessKeyRecord(ctx context.Context, c *Clients, u types.User, k types.AccessKeyMetadata) (tables.Record, error) {
	id := aws.ToString(k.AccessKeyId)
	raw := iamAccessKeyRaw{AccessKey: k}
	rec := tables.Record{
		"access_key_id": id,
		"user_name":     u.UserName,
		"user_arn":      u.Arn,
		"status":        k.Status,
		"create_date":   k.CreateDate,
	}
	out, err := c.IAM.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)})
	switch {
	case err == nil && out.AccessKeyLastUsed != nil:
		last := out.AccessKeyLastUsed
		raw.LastUsed = last
		rec["last_used_date"] = last.LastUsedDate
		rec["last_used_service"] = iamTextOrNil(last.ServiceName)
		rec["last_used_region"] = iamTextOrNil(last.Region)
	case err == nil, iamDetailUnknown(err), IsErrorCode(err, "NoSuchEntity"):
	default:
		return nil, fmt.Errorf("get last use of access key %s: %w", id, err)
	}
	rec["raw"] = raw
	return rec, nil
}
