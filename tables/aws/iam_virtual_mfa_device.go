package aws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_iam_virtual_mfa_device",
		Description: "Virtual MFA devices of the account, assigned or not, including the root user's.",
		Key:         "serial_number",
		Global:      true,
		Columns: []store.Column{
			{Name: "serial_number", Type: store.TypeText, Description: "Serial number of the device, its ARN (arn:aws:iam::<account>:mfa/<name>)."},
			{Name: "user_arn", Type: store.TypeText, Description: "ARN of the user the device is assigned to; NULL when unassigned."},
			{Name: "user_name", Type: store.TypeText, Description: "Name of the user the device is assigned to; NULL when unassigned or for the root user."},
			{Name: "enable_date", Type: store.TypeTimestamp, Description: "Time the device was assigned; NULL when unassigned."},
			{Name: "assigned", Type: store.TypeBool, Description: "True when the device is assigned to a user."},
			{Name: "is_root", Type: store.TypeBool, Description: "True when the device belongs to the root user."},
		},
	}, fetchIAMVirtualMFADevices)
}

func fetchIAMVirtualMFADevices(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := iam.NewListVirtualMFADevicesPaginator(c.IAM, &iam.ListVirtualMFADevicesInput{MaxItems: iamPageSize})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list virtual MFA devices: %w", err)
		}
		for _, d := range page.VirtualMFADevices {
			if err := emit(iamVirtualMFARecord(d)); err != nil {
				return err
			}
		}
	}
	return nil
}

func iamVirtualMFARecord(d types.VirtualMFADevice) tables.Record {
	// The seed and QR code are only returned on creation, but they are the
	// device's secret: never store them.
	d.Base32StringSeed = nil
	d.QRCodePNG = nil

	serial := aws.ToString(d.SerialNumber)
	rec := tables.Record{
		"serial_number": serial,
		"enable_date":   d.EnableDate,
		"assigned":      d.User != nil,
		"tags":          Tags(d.Tags),
		"raw":           d,
	}
	userARN := ""
	if d.User != nil {
		userARN = aws.ToString(d.User.Arn)
		rec["user_arn"] = d.User.Arn
		rec["user_name"] = iamTextOrNil(d.User.UserName)
	}
	rec["is_root"] = strings.HasSuffix(serial, ":mfa/root-account-mfa-device") || strings.HasSuffix(userARN, ":root")
	return rec
}
