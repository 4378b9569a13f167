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
		Name:        "aws_iam_user",
		Description: "IAM users with their groups, policies, MFA devices and console password.",
		Key:         "arn",
		Global:      true,
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the user."},
			{Name: "user_name", Type: store.TypeText, Description: "Name of the user."},
			{Name: "user_id", Type: store.TypeText, Description: "Stable unique id of the user, starting with AIDA."},
			{Name: "path", Type: store.TypeText, Description: "Path of the user, / by default."},
			{Name: "create_date", Type: store.TypeTimestamp, Description: "Time the user was created."},
			{Name: "password_last_used", Type: store.TypeTimestamp, Description: "Time the user's console password was last used; NULL when never used since October 2014 or unknown."},
			{Name: "groups", Type: store.TypeTextList, Description: "Names of the groups the user belongs to."},
			{Name: "attached_policy_arns", Type: store.TypeTextList, Description: "ARNs of the managed policies attached to the user directly."},
			{Name: "inline_policies", Type: store.TypeJSON, Description: "Inline policies of the user as an object of policy name to policy document."},
			{Name: "permissions_boundary", Type: store.TypeText, Description: "ARN of the policy set as the user's permissions boundary; NULL when none."},
			{Name: "mfa_devices", Type: store.TypeJSON, Description: "MFA devices of the user as a list of {serial_number, enable_date}; NULL when unknown."},
			{Name: "mfa_enabled", Type: store.TypeBool, Description: "True when the user has at least one MFA device; NULL when unknown."},
			{Name: "login_profile", Type: store.TypeBool, Description: "True when the user has a console password (a login profile); NULL when unknown."},
			{Name: "login_profile_create_date", Type: store.TypeTimestamp, Description: "Time the console password was created; NULL when none or unknown."},
			{Name: "password_reset_required", Type: store.TypeBool, Description: "True when the user must set a new console password at next sign-in; NULL when no password or unknown."},
		},
		IgnoreInDrift: []string{
			"password_last_used",
			"raw.User.PasswordLastUsed",
		},
	}, fetchIAMUsers)
}

// iamUserRaw is the raw column of aws_iam_user: the authorization details
// entry of the user and the results of its detail calls. MFADevices is
// null when the list is unknown, LoginProfile is absent when the user has
// no console password or it is unknown.
type iamUserRaw struct {
	Detail       types.UserDetail
	User         *types.User `json:",omitempty"`
	MFADevices   []types.MFADevice
	LoginProfile *types.LoginProfile `json:",omitempty"`
}

// iamMFADevice is one entry of the mfa_devices column.
type iamMFADevice struct {
	SerialNumber string `json:"serial_number"`
	EnableDate   any    `json:"enable_date"`
}

func fetchIAMUsers(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	details, err := iamAuthorizationDetails(ctx, c, types.EntityTypeUser)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(details.UserDetailList))
	for _, u := range details.UserDetailList {
		names = append(names, aws.ToString(u.UserName))
	}

	// Authorization details lack PasswordLastUsed, which ListUsers returns.
	users, err := iamByName(ctx, names, iamListUsers(c), iamGetUser(c), func(u types.User) string { return aws.ToString(u.UserName) })
	if err != nil {
		return fmt.Errorf("list users: %w", err)
	}

	for _, detail := range details.UserDetailList {
		rec, err := iamUserRecord(ctx, c, detail, users)
		if err != nil {
			return err
		}
		if rec == nil {
			continue
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

// iamUserRecord builds the record of one user with its detail calls. It
// returns nil when the user was deleted during the sync.
func iamUserRecord(ctx context.Context, c *Clients, detail types.UserDetail, users map[string]types.User) (tables.Record, error) {
	name := aws.ToString(detail.UserName)
	raw := iamUserRaw{Detail: detail}
	inline, err := iamInlinePolicies(detail.UserPolicyList)
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", name, err)
	}
	rec := tables.Record{
		"arn":                  detail.Arn,
		"user_name":            name,
		"user_id":              detail.UserId,
		"path":                 detail.Path,
		"create_date":          detail.CreateDate,
		"groups":               detail.GroupList,
		"attached_policy_arns": iamAttachedPolicyARNs(detail.AttachedManagedPolicies),
		"inline_policies":      inline,
		"permissions_boundary": iamBoundaryARN(detail.PermissionsBoundary),
		"tags":                 Tags(detail.Tags),
	}
	if detail.GroupList == nil {
		rec["groups"] = []string{}
	}
	if u, ok := users[name]; ok {
		raw.User = &u
		rec["password_last_used"] = u.PasswordLastUsed
	}

	devices, known, err := iamUserMFADevices(ctx, c, name)
	if IsErrorCode(err, "NoSuchEntity") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if known {
		raw.MFADevices = append([]types.MFADevice{}, devices...)
		list := make([]iamMFADevice, 0, len(devices))
		for _, d := range devices {
			list = append(list, iamMFADevice{SerialNumber: aws.ToString(d.SerialNumber), EnableDate: d.EnableDate})
		}
		rec["mfa_devices"] = list
		rec["mfa_enabled"] = len(devices) > 0
	}

	profile, err := c.IAM.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
	switch {
	case err == nil:
		raw.LoginProfile = profile.LoginProfile
		rec["login_profile"] = true
		if lp := profile.LoginProfile; lp != nil {
			rec["login_profile_create_date"] = lp.CreateDate
			rec["password_reset_required"] = lp.PasswordResetRequired
		}
	case IsErrorCode(err, "NoSuchEntity"):
		rec["login_profile"] = false
	case iamDetailUnknown(err):
	default:
		return nil, fmt.Errorf("get login profile of user %s: %w", name, err)
	}

	rec["raw"] = raw
	return rec, nil
}

// iamUserMFADevices lists the MFA devices of a user. known is false when
// the list is unknown (see iamDetailUnknown). The error keeps its code, so
// the caller can skip a user deleted during the sync (NoSuchEntity).
func iamUserMFADevices(ctx context.Context, c *Clients, name string) (devices []types.MFADevice, known bool, err error) {
	pages := iam.NewListMFADevicesPaginator(c.IAM, &iam.ListMFADevicesInput{UserName: aws.String(name), MaxItems: iamPageSize})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if iamDetailUnknown(err) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("list MFA devices of user %s: %w", name, err)
		}
		devices = append(devices, page.MFADevices...)
	}
	return devices, true, nil
}

// iamListUsers returns a function that reads every page of ListUsers.
func iamListUsers(c *Clients) func(context.Context) ([]types.User, error) {
	return func(ctx context.Context) ([]types.User, error) {
		var users []types.User
		pages := iam.NewListUsersPaginator(c.IAM, &iam.ListUsersInput{MaxItems: iamPageSize})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			users = append(users, page.Users...)
		}
		return users, nil
	}
}

// iamGetUser returns a function that calls GetUser for one user name.
func iamGetUser(c *Clients) func(context.Context, string) (*types.User, error) {
	return func(ctx context.Context, name string) (*types.User, error) {
		out, err := c.IAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		if out.User == nil {
			return nil, fmt.Errorf("get user %s: response has no user", name)
		}
		return out.User, nil
	}
}
