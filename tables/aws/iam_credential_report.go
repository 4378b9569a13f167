package aws

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// iamReportField is one field of the credential report's CSV header and
// the column that stores it.
type iamReportField struct {
	header, column, kind, description string
}

// Kinds of credential report fields, which decide how a value is parsed.
const (
	iamReportText = store.TypeText
	iamReportBool = store.TypeBool
	iamReportTime = store.TypeTimestamp
)

// iamReportFields lists the fields of the credential report, in the order
// of its CSV header. Fields that IAM adds later are kept in raw only.
var iamReportFields = []iamReportField{
	{"user", "user", iamReportText, "Name of the user, or <root_account> for the root user."},
	{"arn", "user_arn", iamReportText, "ARN of the user, arn:aws:iam::<account>:root for the root user."},
	{"user_creation_time", "user_creation_time", iamReportTime, "Time the user was created."},
	{"password_enabled", "password_enabled", iamReportBool, "True when the user has a console password; NULL for the root user (not_supported)."},
	{"password_last_used", "password_last_used", iamReportTime, "Time the password was last used to sign in; NULL when never or unknown (N/A, no_information)."},
	{"password_last_changed", "password_last_changed", iamReportTime, "Time the password was last set; NULL when no password or for the root user."},
	{"password_next_rotation", "password_next_rotation", iamReportTime, "Time the password expires under the password policy; NULL when it does not."},
	{"mfa_active", "mfa_active", iamReportBool, "True when the user has an MFA device."},
	{"access_key_1_active", "access_key_1_active", iamReportBool, "True when the first access key exists and is active."},
	{"access_key_1_last_rotated", "access_key_1_last_rotated", iamReportTime, "Time the first access key was created or last rotated; NULL when no key."},
	{"access_key_1_last_used_date", "access_key_1_last_used_date", iamReportTime, "Time the first access key last signed a request; NULL when never or no key."},
	{"access_key_1_last_used_region", "access_key_1_last_used_region", iamReportText, "Region of the first access key's last request; NULL when never used."},
	{"access_key_1_last_used_service", "access_key_1_last_used_service", iamReportText, "Service of the first access key's last request, such as s3; NULL when never used."},
	{"access_key_2_active", "access_key_2_active", iamReportBool, "True when the second access key exists and is active."},
	{"access_key_2_last_rotated", "access_key_2_last_rotated", iamReportTime, "Time the second access key was created or last rotated; NULL when no key."},
	{"access_key_2_last_used_date", "access_key_2_last_used_date", iamReportTime, "Time the second access key last signed a request; NULL when never or no key."},
	{"access_key_2_last_used_region", "access_key_2_last_used_region", iamReportText, "Region of the second access key's last request; NULL when never used."},
	{"access_key_2_last_used_service", "access_key_2_last_used_service", iamReportText, "Service of the second access key's last request, such as s3; NULL when never used."},
	{"cert_1_active", "cert_1_active", iamReportBool, "True when the first X.509 signing certificate exists and is active."},
	{"cert_1_last_rotated", "cert_1_last_rotated", iamReportTime, "Time the first signing certificate was created or last rotated; NULL when none."},
	{"cert_2_active", "cert_2_active", iamReportBool, "True when the second X.509 signing certificate exists and is active."},
	{"cert_2_last_rotated", "cert_2_last_rotated", iamReportTime, "Time the second signing certificate was created or last rotated; NULL when none."},
}

// iamReportWait bounds the wait for IAM to finish generating the report:
// GenerateCredentialReport is called up to attempts times, interval apart,
// about two minutes in all. Tests shorten the interval.
var iamReportWait = struct {
	interval time.Duration
	attempts int
}{interval: 2 * time.Second, attempts: 60}

func init() {
	cols := make([]store.Column, 0, len(iamReportFields)+1)
	for _, f := range iamReportFields {
		cols = append(cols, store.Column{Name: f.column, Type: f.kind, Description: f.description})
	}
	cols = append(cols, store.Column{Name: "generated_time", Type: store.TypeTimestamp, Description: "Time IAM generated the report; values are at most 4 hours older than that."})
	register(&tables.Table{
		Name:        "aws_iam_credential_report",
		Description: "Lines of the IAM credential report: one per user, the root user (<root_account>) included, with password, MFA, access key and certificate status.",
		Key:         "user_arn",
		Global:      true,
		Columns:     cols,
		IgnoreInDrift: []string{
			"password_last_used",
			"access_key_1_last_used_date",
			"access_key_1_last_used_region",
			"access_key_1_last_used_service",
			"access_key_2_last_used_date",
			"access_key_2_last_used_region",
			"access_key_2_last_used_service",
			"generated_time",
			"raw.password_last_used",
			"raw.access_key_1_last_used_date",
			"raw.access_key_1_last_used_region",
			"raw.access_key_1_last_used_service",
			"raw.access_key_2_last_used_date",
			"raw.access_key_2_last_used_region",
			"raw.access_key_2_last_used_service",
		},
	}, fetchIAMCredentialReport)
}

func fetchIAMCredentialReport(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	// An offline folder holds no GenerateCredentialReport response, and a
	// caller denied generation may still read a report generated earlier.
	genErr := iamGenerateCredentialReport(ctx, c)
	if genErr != nil && !iamDetailUnknown(genErr) {
		return genErr
	}
	out, err := c.IAM.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		if genErr != nil && !IsNotCollected(genErr) {
			return genErr
		}
		return fmt.Errorf("get credential report: %w", err)
	}
	if out.ReportFormat != "" && out.ReportFormat != types.ReportFormatTypeTextCsv {
		return fmt.Errorf("get credential report: got format %q, want text/csv", out.ReportFormat)
	}

	lines, err := iamParseCredentialReport(out.Content)
	if err != nil {
		return err
	}
	for _, line := range lines {
		rec, err := iamCredentialReportRecord(line)
		if err != nil {
			return err
		}
		rec["generated_time"] = out.GeneratedTime
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

// iamGenerateCredentialReport starts the generation of a credential report
// and waits until it is complete, within iamReportWait and ctx.
func iamGenerateCredentialReport(ctx context.Context, c *Clients) error {
	for attempt := 1; ; attempt++ {
		out, err := c.IAM.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			return fmt.Errorf("generate credential report: %w", err)
		}
		if out.State == types.ReportStateTypeComplete {
			return nil
		}
		if attempt >= iamReportWait.attempts {
			return fmt.Errorf("generate credential report: state still %s after %d attempts %s apart", out.State, attempt, iamReportWait.interval)
		}
		timer := time.NewTimer(iamReportWait.interval)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("generate credential report: %w", ctx.Err())
		case <-timer.C:
		}
	}
}

// iamParseCredentialReport parses the report's CSV into one map of header
// to value per line.
func iamParseCredentialReport(content []byte) ([]map[string]string, error) {
	rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("parse credential report CSV: %w", err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("parse credential report CSV: the report is empty, want a header line and a line for the root user")
	}
	header := rows[0]
	lines := make([]map[string]string, 0, len(rows)-1)
	for _, row := range rows[1:] {
		line := make(map[string]string, len(header))
		for i, name := range header {
			line[name] = row[i]
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// iamCredentialReportRecord converts one line of the report into a
// record. Values that mean "none" (N/A, not_supported, no_information)
// become NULL columns, and raw keeps every value as the report has it.
func iamCredentialReportRecord(line map[string]string) (tables.Record, error) {
	rec := tables.Record{"raw": line}
	for _, f := range iamReportFields {
		value, ok := line[f.header]
		if !ok {
			continue
		}
		switch f.kind {
		case iamReportBool:
			switch value {
			case "true":
				rec[f.column] = true
			case "false":
				rec[f.column] = false
			}
		case iamReportTime:
			t, err := tables.ParseTime(value)
			if err != nil {
				return nil, fmt.Errorf("credential report line of %s: field %s: %w", line["arn"], f.header, err)
			}
			rec[f.column] = t
		default:
			rec[f.column] = iamTextOrNil(&value)
		}
	}
	return rec, nil
}
