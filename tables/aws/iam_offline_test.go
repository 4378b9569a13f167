package aws

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stance-cspm/stance/internal/awsfile"
	"github.com/stance-cspm/stance/tables"
)

// iamDemoDir is CloudMapper's demo account data, read in place. Its IAM
// files are in us-east-1 and its account is 123456789012.
const iamDemoDir = "../../../shared/realdata/aws-cloudmapper-demo"

// iamDemoAccount is the account ID of the demo data's ARNs.
const iamDemoAccount = "123456789012"

// iamDemoClients returns clients for the global partition of the demo
// data, or skips the test when the data is absent. The demo folder has no
// sts-get-caller-identity.json, so it is opened through a symbolic link
// named after its account.
func iamDemoClients(t *testing.T) *Clients {
	t.Helper()
	demo, err := filepath.Abs(iamDemoDir)
	if err != nil {
		t.Fatalf("resolve %s: %v", iamDemoDir, err)
	}
	if _, err := os.Stat(filepath.Join(demo, "us-east-1", "iam-get-account-authorization-details.json")); err != nil {
		t.Skipf("skip: CloudMapper demo data not found at %s: %v", demo, err)
	}
	link := filepath.Join(t.TempDir(), iamDemoAccount)
	if err := os.Symlink(demo, link); err != nil {
		t.Fatalf("link demo data: %v", err)
	}
	return iamOfflineClients(t, link)[iamDemoAccount]
}

// iamFixtureClients returns clients for the global partition of each
// account under testdata/<table>, by account ID.
func iamFixtureClients(t *testing.T, table string) map[string]*Clients {
	t.Helper()
	return iamOfflineClients(t, filepath.Join("testdata", table))
}

func iamOfflineClients(t *testing.T, dir string) map[string]*Clients {
	t.Helper()
	src, err := awsfile.Open(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	out := map[string]*Clients{}
	for _, acct := range src.Accounts() {
		cfg, err := src.Config(acct.ID, tables.GlobalRegion)
		if err != nil {
			t.Fatalf("config for account %s: %v", acct.ID, err)
		}
		out[acct.ID] = NewClients(cfg, acct.ID, tables.GlobalRegion)
	}
	return out
}

// iamFetchError runs a table's fetch function, which must fail, and
// returns its error.
func iamFetchError(t *testing.T, table string, c *Clients) error {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
	err := tbl.Fetch(context.Background(), target, func(tables.Record) error { return nil })
	if err == nil {
		t.Fatalf("fetch %s in %s: got no error, want one", table, c.AccountID)
	}
	return err
}
