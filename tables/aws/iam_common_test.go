package aws

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/tables"
)

// iamMotoClients returns clients for the global partition of accountID in
// the shared moto server. Each IAM test uses an account of its own, reached
// through sts:AssumeRole, so that other tests' users and roles (which moto
// keeps per account) cannot change its counts.
func iamMotoClients(t *testing.T, accountID string) *Clients {
	t.Helper()
	srv := moto.Start(t)
	ctx := context.Background()
	cfg := srv.AWSConfig(ctx, HomeRegion)
	roleARN := "arn:aws:iam::" + accountID + ":role/stance-iam-test"
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("stance")})
	if err != nil {
		t.Fatalf("assume role %s: %v", roleARN, err)
	}
	creds := out.Credentials
	cfg.Credentials = emulator.StaticCredentials(aws.ToString(creds.AccessKeyId), aws.ToString(creds.SecretAccessKey), aws.ToString(creds.SessionToken))
	return NewClients(cfg, accountID, tables.GlobalRegion)
}

// iamSetPageSize sets iamPageSize for the duration of the test.
func iamSetPageSize(t *testing.T, size int32) {
	t.Helper()
	old := iamPageSize
	iamPageSize = aws.Int32(size)
	t.Cleanup(func() { iamPageSize = old })
}

// iamMust fails the test when a setup call returned an error.
func iamMust(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// iamCreateUser creates a user in moto.
func iamCreateUser(t *testing.T, c *Clients, name string) *iam.CreateUserOutput {
	t.Helper()
	out, err := c.IAM.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)})
	iamMust(t, "create user "+name, err)
	return out
}

// iamByKey indexes records by the value of one column, which must be a
// string or a non-nil *string.
func iamByKey(t *testing.T, recs []tables.Record, column string) map[string]tables.Record {
	t.Helper()
	out := make(map[string]tables.Record, len(recs))
	for _, r := range recs {
		out[iamText(r[column])] = r
	}
	return out
}

// iamText returns a record value that is a string or *string as a string,
// and "<nil>" for a nil value.
func iamText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		if x == nil {
			return "<nil>"
		}
		return *x
	case nil:
		return "<nil>"
	}
	return "<not text>"
}

// iamColumn converts one record value to the value stored for the column,
// so tests compare what a query would see.
func iamColumn(t *testing.T, table string, rec tables.Record, column string) any {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	for _, c := range tbl.Schema().Columns {
		if c.Name == column {
			v, err := tables.Convert(c.Type, rec[column])
			if err != nil {
				t.Fatalf("table %s column %s: %v", table, column, err)
			}
			return v
		}
	}
	t.Fatalf("table %s has no column %s", table, column)
	return nil
}

// iamJSON returns a JSON column value decoded into a generic value.
func iamJSON(t *testing.T, table string, rec tables.Record, column string) any {
	t.Helper()
	v := iamColumn(t, table, rec, column)
	if v == nil {
		return nil
	}
	var text []byte
	switch x := v.(type) {
	case json.RawMessage:
		text = x
	case string:
		text = []byte(x)
	default:
		t.Fatalf("table %s column %s: got %T, want JSON text", table, column, v)
	}
	var out any
	if err := json.Unmarshal(text, &out); err != nil {
		t.Fatalf("table %s column %s: invalid JSON %q: %v", table, column, v, err)
	}
	return out
}

// iamList returns a text list column as strings.
func iamList(t *testing.T, table string, rec tables.Record, column string) []string {
	t.Helper()
	v := iamColumn(t, table, rec, column)
	if v == nil {
		return nil
	}
	items := v.([]any)
	out := make([]string, 0, len(items))
	for _, item := range items {
		out = append(out, item.(string))
	}
	return out
}

// iamRowKey returns the store key of the row that rec becomes.
func iamRowKey(t *testing.T, table string, c *Clients, rec tables.Record) string {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
	row, err := tbl.Row(target, rec)
	if err != nil {
		t.Fatalf("table %s: row: %v", table, err)
	}
	return row.Key
}

// iamVirtualMFADeviceForTest returns a device with the given serial number,
// assigned to userARN unless it is empty.
func iamVirtualMFADeviceForTest(serial, userARN string) types.VirtualMFADevice {
	d := types.VirtualMFADevice{SerialNumber: aws.String(serial), Base32StringSeed: []byte("SECRETSEED")}
	if userARN != "" {
		d.User = &types.User{Arn: aws.String(userARN)}
	}
	return d
}

// iamRawText returns the raw column of a record as stored JSON text.
func iamRawText(t *testing.T, table string, rec tables.Record) string {
	t.Helper()
	switch x := iamColumn(t, table, rec, tables.ColRaw).(type) {
	case json.RawMessage:
		return string(x)
	case string:
		return x
	case nil:
		return ""
	default:
		t.Fatalf("table %s column raw: got %T, want JSON text", table, x)
		return ""
	}
}
