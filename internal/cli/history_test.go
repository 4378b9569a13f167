package cli

import (
	"strings"
	"testing"
)

// TestHistoryAcceptsBareNames runs stance history on the demo database
// with a bucket name, a security group ID, an ambiguous role name and an
// unknown name.
func TestHistoryAcceptsBareNames(t *testing.T) {
	db := demoDatabase(t)

	code, out, errOut := stance(t, "", "history", "--db", db, "acme-prod-app-assets")
	if code != ExitOK {
		t.Fatalf("history of a bucket name: exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "210987654321/arn:aws:s3:::acme-prod-app-assets in aws_s3_bucket: 2 version(s)") {
		t.Errorf("history of a bucket name: got\n%s\nwant the bucket's two versions", out)
	}
	if !strings.Contains(out, "policy_status_is_public: false -> true") {
		t.Errorf("history of a bucket name: got\n%s\nwant the incident's changes", out)
	}

	code, out, errOut = stance(t, "", "history", "--db", db, "sg-0b5500000000022aa")
	if code != ExitOK {
		t.Fatalf("history of a security group ID: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "security-group/sg-0b5500000000022aa in aws_vpc_security_group: 1 version(s)") {
		t.Errorf("history of a security group ID: got\n%s", out)
	}

	code, _, errOut = stance(t, "", "history", "--db", db, "OrganizationAccountAccessRole")
	if code != ExitError {
		t.Errorf("history of a shared role name: exit %d, want %d", code, ExitError)
	}
	for _, want := range []string{
		"matches 2 resources",
		"210987654321/arn:aws:iam::210987654321:role/OrganizationAccountAccessRole",
		"345678901234/arn:aws:iam::345678901234:role/OrganizationAccountAccessRole",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("history of a shared role name: stderr lacks %q:\n%s", want, errOut)
		}
	}

	code, _, errOut = stance(t, "", "history", "--db", db, "acme-no-such-bucket")
	if code != ExitError || !strings.Contains(errOut, `"acme-no-such-bucket" not found`) {
		t.Errorf("history of an unknown name: exit %d, stderr %q", code, errOut)
	}
}
