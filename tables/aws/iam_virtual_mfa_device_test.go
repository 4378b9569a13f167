package aws

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMVirtualMFADeviceMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000111")
	ctx := context.Background()
	iamSetPageSize(t, 1) // three devices: three pages

	user := iamCreateUser(t, c, "carol")
	var seeds []string
	serials := map[string]string{}
	for _, name := range []string{"carol-phone", "spare-1", "spare-2"} {
		out, err := c.IAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
		iamMust(t, "create virtual MFA device "+name, err)
		serials[name] = aws.ToString(out.VirtualMFADevice.SerialNumber)
		seeds = append(seeds, string(out.VirtualMFADevice.Base32StringSeed))
	}
	_, err := c.IAM.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String("carol"), SerialNumber: aws.String(serials["carol-phone"]),
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321"),
	})
	iamMust(t, "enable MFA device", err)

	const table = "aws_iam_virtual_mfa_device"
	recs := collect(t, table, c)
	if len(recs) != 3 {
		t.Fatalf("got %d devices, want 3 (one per page)", len(recs))
	}
	bySerial := iamByKey(t, recs, "serial_number")
	phone, spare := bySerial[serials["carol-phone"]], bySerial[serials["spare-1"]]
	if phone == nil || spare == nil {
		t.Fatalf("got devices %v, want carol-phone and spare-1", bySerial)
	}
	checks := []struct {
		device string
		rec    map[string]any
		column string
		want   any
	}{
		{"carol-phone", phone, "user_arn", aws.ToString(user.User.Arn)},
		{"carol-phone", phone, "user_name", "carol"},
		{"carol-phone", phone, "assigned", true},
		{"carol-phone", phone, "is_root", false},
		{"spare-1", spare, "user_arn", nil},
		{"spare-1", spare, "user_name", nil},
		{"spare-1", spare, "enable_date", nil},
		{"spare-1", spare, "assigned", false},
		{"spare-1", spare, "is_root", false},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.device, tc.column, got, tc.want)
		}
	}
	if iamColumn(t, table, phone, "enable_date") == nil {
		t.Errorf("carol-phone enable_date: got NULL, want the time it was enabled")
	}

	// The seed is the device's secret: it must not reach the store.
	for _, rec := range recs {
		raw := iamRawText(t, table, rec)
		for _, seed := range seeds {
			if seed != "" && strings.Contains(raw, seed) {
				t.Errorf("device %s raw: got the MFA seed in %s, want it removed", iamText(rec["serial_number"]), raw)
			}
		}
		if strings.Contains(raw, `"Base32StringSeed":"`) || strings.Contains(raw, `"QRCodePNG":"`) {
			t.Errorf("device %s raw: got %s, want no seed or QR code", iamText(rec["serial_number"]), raw)
		}
	}
}

func TestIAMVirtualMFADeviceRoot(t *testing.T) {
	cases := []struct {
		name    string
		serial  string
		userARN string
		want    bool
	}{
		{"root serial", "arn:aws:iam::111122223333:mfa/root-account-mfa-device", "", true},
		{"root user", "arn:aws:iam::111122223333:mfa/my-root-phone", "arn:aws:iam::111122223333:root", true},
		{"user device", "arn:aws:iam::111122223333:mfa/root-account-mfa-device-copy", "arn:aws:iam::111122223333:user/root", false},
		{"unassigned", "arn:aws:iam::111122223333:mfa/spare", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := iamVirtualMFADeviceForTest(tc.serial, tc.userARN)
			if got := iamVirtualMFARecord(d)["is_root"]; got != tc.want {
				t.Errorf("is_root: got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIAMVirtualMFADeviceFixture(t *testing.T) {
	c := iamFixtureClients(t, "aws_iam_virtual_mfa_device")["111122223333"]
	const table = "aws_iam_virtual_mfa_device"
	recs := collect(t, table, c)
	if len(recs) != 2 {
		t.Fatalf("got %d devices, want 2", len(recs))
	}
	bySerial := iamByKey(t, recs, "serial_number")
	root, leaked := bySerial["arn:aws:iam::111122223333:mfa/root-account-mfa-device"], bySerial["arn:aws:iam::111122223333:mfa/leaked"]
	if root == nil || leaked == nil {
		t.Fatalf("got devices %v, want the root device and leaked", bySerial)
	}
	checks := []struct {
		device string
		rec    map[string]any
		column string
		want   any
	}{
		{"root", root, "is_root", true},
		{"root", root, "assigned", true},
		{"root", root, "user_arn", "arn:aws:iam::111122223333:root"},
		{"root", root, "user_name", nil},
		{"root", root, "enable_date", time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"leaked", leaked, "is_root", false},
		{"leaked", leaked, "assigned", false},
	}
	for _, tc := range checks {
		if got := iamColumn(t, table, tc.rec, tc.column); got != tc.want {
			t.Errorf("%s %s: got %v, want %v", tc.device, tc.column, got, tc.want)
		}
	}
	// The fixture holds a seed: it must not reach the store.
	if raw := iamRawText(t, table, leaked); strings.Contains(raw, "FIXTURESEEDVALUE") || strings.Contains(raw, "RklYVFVSRVNFRURWQUxVRQ") {
		t.Errorf("leaked raw: got %s, want the seed removed", raw)
	}
}

func TestIAMVirtualMFADeviceDemo(t *testing.T) {
	c := iamDemoClients(t)
	if err := iamFetchError(t, "aws_iam_virtual_mfa_device", c); !IsNotCollected(err) {
		t.Errorf("got error %v, want NotCollected", err)
	}
}
