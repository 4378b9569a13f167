package aws

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	gosync "sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go/middleware"

	"github.com/stance-cspm/stance/internal/awsfile"
	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/emulator/moto"
	"github.com/stance-cspm/stance/tables"
)

// ec2CallCounter counts the API calls a client sends, by operation name.
type ec2CallCounter struct {
	mu    gosync.Mutex
	calls map[string]int
}

func (c *ec2CallCounter) count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[op]
}

// motoEC2 returns clients of the shared moto server for one region and the
// counter of the EC2 calls they send. Each EC2 test uses a region of its
// own, so resources created by one test never show in another.
func motoEC2(t *testing.T, region string) (*Clients, *ec2CallCounter) {
	t.Helper()
	srv := moto.Start(t)
	cfg := srv.AWSConfig(context.Background(), region)
	c := NewClients(cfg, emulator.DefaultAccountID, region)

	counter := &ec2CallCounter{calls: map[string]int{}}
	c.EC2 = ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("countCalls",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					counter.mu.Lock()
					counter.calls[middleware.GetOperationName(ctx)]++
					counter.mu.Unlock()
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		})
	})
	return c, counter
}

// withEC2PageSize sets the page size of the EC2 tables for one test.
func withEC2PageSize(t *testing.T, size int32) {
	t.Helper()
	old := ec2PageSize
	ec2PageSize = size
	t.Cleanup(func() { ec2PageSize = old })
}

// ec2DemoDir returns the folder of CloudMapper's demo account, or skips
// the test when the data is not there.
func ec2DemoDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "realdata", "aws-cloudmapper-demo")
	if _, err := os.Stat(filepath.Join(dir, "us-east-1", "ec2-describe-instances.json")); err != nil {
		t.Skipf("skip: CloudMapper demo data not found at %s: %v", dir, err)
	}
	return dir
}

// ec2OfflineClients returns clients that read the AWS CLI outputs of the
// one account under dir, for region.
func ec2OfflineClients(t *testing.T, dir, region string) *Clients {
	t.Helper()
	src, err := awsfile.Open(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	accounts := src.Accounts()
	if len(accounts) != 1 {
		t.Fatalf("%s: got %d accounts, want 1", dir, len(accounts))
	}
	cfg, err := src.Config(accounts[0].ID, region)
	if err != nil {
		t.Fatalf("offline config for %s: %v", region, err)
	}
	return NewClients(cfg, accounts[0].ID, region)
}

// ec2Fixture returns clients for region of the fixture of one table, the
// folder testdata/<table>.
func ec2Fixture(t *testing.T, table, region string) *Clients {
	t.Helper()
	return ec2OfflineClients(t, filepath.Join("testdata", table), region)
}

// ec2FetchError runs a table's fetch function and returns its error, for
// the cases where fetch must fail.
func ec2FetchError(t *testing.T, table string, c *Clients) error {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	target := tables.Target{Provider: Provider, AccountID: c.AccountID, Region: c.Region, Client: c}
	return tbl.Fetch(context.Background(), target, func(tables.Record) error { return nil })
}

// ec2Values converts every column of rec to the plain Go value the store
// receives: string, int64, bool, time.Time, []any of strings, or JSON text.
// A column missing from rec or NULL is nil. Tags stay the map[string]string
// that Tags returns.
func ec2Values(t *testing.T, table string, rec tables.Record) map[string]any {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	out := map[string]any{}
	for _, col := range tbl.Schema().Columns {
		if col.Name == tables.ColTags {
			out[col.Name] = rec[col.Name]
			continue
		}
		v, err := tables.Convert(col.Type, rec[col.Name])
		if err != nil {
			t.Fatalf("table %s column %s: %v", table, col.Name, err)
		}
		if doc, ok := v.(json.RawMessage); ok {
			v = string(doc)
		}
		out[col.Name] = v
	}
	return out
}

// ec2RowsBy converts recs with ec2Values and indexes them by the text column key.
func ec2RowsBy(t *testing.T, table string, recs []tables.Record, key string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, rec := range recs {
		row := ec2Values(t, table, rec)
		k, _ := row[key].(string)
		if _, dup := out[k]; dup {
			t.Errorf("table %s: two rows with %s %q", table, key, k)
		}
		out[k] = row
	}
	return out
}

// ec2Check compares the columns of row named in want, each with its own
// message. In want, an int stands for int64 and a []string for the []any
// of a list column.
func ec2Check(t *testing.T, label string, row map[string]any, want map[string]any) {
	t.Helper()
	if row == nil {
		t.Errorf("%s: no row", label)
		return
	}
	for col, w := range want {
		got := row[col]
		if i, ok := w.(int); ok {
			w = int64(i)
		}
		if ws, ok := w.([]string); ok {
			list := make([]any, len(ws))
			for i, s := range ws {
				list[i] = s
			}
			w = list
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s: got %#v, want %#v", label, col, got, w)
		}
	}
}

// ec2DecodeJSON decodes a JSON column value into v, failing the test on
// invalid JSON.
func ec2DecodeJSON(t *testing.T, label string, column any, v any) {
	t.Helper()
	text, ok := column.(string)
	if !ok {
		t.Fatalf("%s: got %#v, want JSON text", label, column)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("%s: invalid JSON %q: %v", label, text, err)
	}
}

func TestProtocolName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"-1", "all"},
		{"6", "tcp"},
		{"tcp", "tcp"},
		{"17", "udp"},
		{"1", "icmp"},
		{"58", "icmpv6"},
		{"icmpv6", "icmpv6"},
		{"50", "50"},
		{"TCP", "tcp"},
	}
	for _, tc := range cases {
		if got := protocolName(tc.in); got != tc.want {
			t.Errorf("protocolName(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestListOrEmptyJSON(t *testing.T) {
	var none []string
	b, err := json.Marshal(listOrEmpty(none))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "[]" {
		t.Errorf("nil slice: got %s, want []", b)
	}
	b, err = json.Marshal(listOrEmpty([]string{"a"}))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `["a"]` {
		t.Errorf("one item: got %s, want [\"a\"]", b)
	}
}

func TestEC2ARNOwner(t *testing.T) {
	c := &Clients{AccountID: "111122223333", Region: "eu-west-1", Partition: "aws"}
	cases := []struct{ owner, want string }{
		{"", "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1"},
		{"444455556666", "arn:aws:ec2:eu-west-1:444455556666:vpc/vpc-1"},
	}
	for _, tc := range cases {
		if got := ec2ARN(c, tc.owner, "vpc/vpc-1"); got != tc.want {
			t.Errorf("owner %q: got %s, want %s", tc.owner, got, tc.want)
		}
	}
}

// ec2MotoVPC creates a VPC with one subnet in moto and returns their IDs.
func ec2MotoVPC(t *testing.T, c *Clients, cidr, subnetCIDR string) (vpcID, subnetID string) {
	t.Helper()
	ctx := context.Background()
	vpc, err := c.EC2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
	if err != nil {
		t.Fatalf("CreateVpc %s: %v", cidr, err)
	}
	vpcID = aws.ToString(vpc.Vpc.VpcId)
	subnet, err := c.EC2.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId:            aws.String(vpcID),
		CidrBlock:        aws.String(subnetCIDR),
		AvailabilityZone: aws.String(c.Region + "a"),
	})
	if err != nil {
		t.Fatalf("CreateSubnet %s: %v", subnetCIDR, err)
	}
	return vpcID, aws.ToString(subnet.Subnet.SubnetId)
}

// The demo account has no files for these tables. Their partitions must
// fail as not collected, never pass as empty.
func TestEC2DemoNotCollected(t *testing.T) {
	c := ec2OfflineClients(t, ec2DemoDir(t), "us-east-1")
	for _, table := range []string{
		"aws_vpc_network_acl", "aws_vpc_network_acl_entry", "aws_vpc_flow_log",
		"aws_ebs_volume", "aws_ebs_encryption_by_default",
	} {
		t.Run(table, func(t *testing.T) {
			err := ec2FetchError(t, table, c)
			if !IsNotCollected(err) {
				t.Errorf("got error %v, want code NotCollected", err)
			}
		})
	}
}
