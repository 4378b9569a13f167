package synthetic

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/stance-cspm/stance/tables"
)

// Record column names of every synthetic table, besides the standard
// account_id, region, tags and raw.
const (
	ColResourceID       = "resource_id"
	ColARN              = "arn"
	ColName             = "name"
	ColResourceType     = "resource_type"
	ColState            = "state"
	ColCPUCount         = "cpu_count"
	ColSizeGiB          = "size_gib"
	ColEncrypted        = "encrypted"
	ColPublic           = "public"
	ColCreatedAt        = "created_at"
	ColSecurityGroupIDs = "security_group_ids"
	ColPolicy           = "policy"
)

// tableShape is the name and the value vocabulary of one synthetic table.
// Every synthetic table has the same columns.
type tableShape struct {
	name     string
	service  string
	resource string
	idPrefix string
	types    []string
	states   []string
}

// shapes are the synthetic tables in the order that Config.Tables takes
// them.
var shapes = []tableShape{
	{
		name: "synthetic_compute_instance", service: "compute", resource: "instance", idPrefix: "i-",
		types:  []string{"t3.micro", "t3.large", "m5.large", "m5.xlarge", "c6g.2xlarge", "r6i.4xlarge"},
		states: []string{"running", "stopped", "running", "pending", "running"},
	},
	{
		name: "synthetic_storage_volume", service: "storage", resource: "volume", idPrefix: "vol-",
		types:  []string{"gp3", "gp2", "io2", "st1", "sc1"},
		states: []string{"in-use", "available", "in-use", "creating"},
	},
	{
		name: "synthetic_network_interface", service: "network", resource: "interface", idPrefix: "eni-",
		types:  []string{"interface", "efa", "trunk", "branch"},
		states: []string{"in-use", "available", "attaching", "in-use"},
	},
	{
		name: "synthetic_database_cluster", service: "database", resource: "cluster", idPrefix: "db-",
		types:  []string{"aurora-postgresql", "aurora-mysql", "postgres", "mysql"},
		states: []string{"available", "stopped", "available", "modifying"},
	},
}

// TableNames returns the names of every synthetic table, in the order that
// Config.Tables takes them.
func TableNames() []string {
	names := make([]string, len(shapes))
	for i, s := range shapes {
		names[i] = s.name
	}
	return names
}

var (
	nameWords = []string{"web", "api", "batch", "cache", "queue", "auth", "search", "billing", "report", "ingest"}
	envs      = []string{"prod", "staging", "dev", "test"}
	teams     = []string{"platform", "payments", "data", "identity", "growth", "security"}
	actions   = []string{"s3:GetObject", "s3:PutObject", "sqs:SendMessage", "kms:Decrypt", "logs:PutLogEvents", "dynamodb:Query", "ec2:DescribeInstances"}
	cpuCounts = []int64{1, 2, 4, 8, 16, 32, 64, 96}
	epoch     = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Records emits the records of one partition in a fixed order. It fails
// when the estate has no such table, account or region, and stops at the
// first error that emit returns.
func (w *World) Records(table, account, region string, emit func(tables.Record) error) error {
	p, ok := w.partition(table, account, region)
	if !ok {
		return fmt.Errorf("synthetic estate has no partition %s in %s/%s", table, account, region)
	}
	shape := w.tables[p/(w.cfg.Accounts*w.cfg.Regions)]
	step := w.Partitions()
	scratch := make([]byte, 0, 2048)
	for i := p; i < w.total; i += step {
		if w.deleted[int32(i)] {
			continue
		}
		if err := emit(w.record(shape, account, region, i, scratch)); err != nil {
			return err
		}
	}
	return nil
}

// rowRand draws the attributes of one row. It wraps a PCG by value, so a
// row costs no allocation for its generator. Its modulo reduction is biased
// by less than n/2^64, which no benchmark can see.
type rowRand struct{ pcg rand.PCG }

func (r *rowRand) uint64() uint64       { return r.pcg.Uint64() }
func (r *rowRand) intN(n int) int       { return int(r.pcg.Uint64() % uint64(n)) }
func (r *rowRand) int64N(n int64) int64 { return int64(r.pcg.Uint64() % uint64(n)) }

// appendHex appends v as a hexadecimal number of at least width digits.
func appendHex(b []byte, v uint64, width int) []byte {
	var digits [16]byte
	n := len(strconv.AppendUint(digits[:0], v, 16))
	for ; n < width; n++ {
		b = append(b, '0')
	}
	return strconv.AppendUint(b, v, 16)
}

// record builds row i at its current revision. Attributes that never change
// come from a generator seeded with the row index, and the revision picks
// the state and appears in the policy and the raw document. scratch is a
// buffer that record may overwrite.
func (w *World) record(shape tableShape, account, region string, i int, scratch []byte) tables.Record {
	revision := w.revisions[int32(i)]
	rng := &rowRand{}
	rng.pcg.Seed(w.cfg.Seed, uint64(i))

	// Multiplying by an odd constant is a bijection on uint64, so ids are
	// distinct within a table for any seed.
	id := string(appendHex(append(scratch[:0], shape.idPrefix...), (uint64(i)*0x9e3779b97f4a7c15)^w.cfg.Seed, 17))
	arn := "arn:synthetic:" + shape.service + ":" + region + ":" + account + ":" + shape.resource + "/" + id
	resourceType := shape.types[rng.intN(len(shape.types))]
	state := shape.states[(rng.intN(len(shape.states))+int(revision))%len(shape.states)]
	cpus := cpuCounts[rng.intN(len(cpuCounts))]
	size := int64(8 << rng.intN(12))
	encrypted := rng.intN(10) < 8
	public := rng.intN(20) == 0
	created := epoch.Add(time.Duration(rng.int64N(8*365*24*3600)) * time.Second)
	groups := make([]string, 1+rng.intN(4))
	for g := range groups {
		groups[g] = string(appendHex(append(scratch[:0], "sg-"...), rng.uint64()>>4, 15))
	}
	tags := map[string]string{
		"env":         envs[rng.intN(len(envs))],
		"team":        teams[rng.intN(len(teams))],
		"cost-center": "cc-" + strconv.Itoa(1000+rng.intN(9000)),
	}
	var name any
	if rng.intN(10) > 0 {
		n := nameWords[rng.intN(len(nameWords))] + "-" + envs[rng.intN(len(envs))] + "-" + strconv.Itoa(rng.intN(100))
		name = n
		tags["Name"] = n
	}
	if rng.intN(2) == 0 {
		tags["owner"] = teams[rng.intN(len(teams))] + "@example.com"
	}
	policy := string(appendPolicy(scratch[:0], rng, account, revision))

	rec := tables.Record{
		tables.ColAccountID: account,
		tables.ColRegion:    region,
		ColResourceID:       id,
		ColARN:              arn,
		ColName:             name,
		ColResourceType:     resourceType,
		ColState:            state,
		ColCPUCount:         cpus,
		ColSizeGiB:          size,
		ColEncrypted:        encrypted,
		ColPublic:           public,
		ColCreatedAt:        created,
		ColSecurityGroupIDs: groups,
		ColPolicy:           string(policy),
		tables.ColTags:      tags,
		tables.ColRaw:       "",
	}
	rec[tables.ColRaw] = string(appendRaw(scratch[:0], rng, rec, revision))
	return rec
}

// appendPolicy appends an IAM-style policy document of two or three
// statements, about 300 to 500 bytes. Every value it writes is ASCII without
// quotes or backslashes, so no JSON escaping is needed.
func appendPolicy(b []byte, rng *rowRand, account string, revision uint32) []byte {
	b = append(b, `{"Version":"2012-10-17","Statement":[`...)
	statements := 2 + rng.intN(2)
	for s := range statements {
		if s > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Sid":"Rev`...)
		b = strconv.AppendUint(b, uint64(revision), 10)
		b = append(b, 'S')
		b = strconv.AppendInt(b, int64(s), 10)
		b = append(b, `","Effect":"Allow","Action":["`...)
		b = append(b, actions[rng.intN(len(actions))]...)
		b = append(b, `","`...)
		b = append(b, actions[rng.intN(len(actions))]...)
		b = append(b, `"],"Resource":"arn:synthetic:storage:::bucket-`...)
		b = strconv.AppendInt(b, rng.int64N(1_000_000), 10)
		b = append(b, `/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"`...)
		b = append(b, account...)
		b = append(b, `"}}}`...)
	}
	return append(b, "]}"...)
}

// appendRaw appends the resource as its API would return it: the modelled
// fields plus nested blocks that no column models, about 1 KB in all. Like
// appendPolicy it relies on values that need no JSON escaping.
func appendRaw(b []byte, rng *rowRand, rec tables.Record, revision uint32) []byte {
	str := func(key, value string) {
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":"`...)
		b = append(b, value...)
		b = append(b, `",`...)
	}
	b = append(b, '{')

	// Top-level fields that columns also model.
	str("ResourceId", rec[ColResourceID].(string))
	str("Arn", rec[ColARN].(string))
	str("OwnerId", rec[tables.ColAccountID].(string))
	str("Placement", rec[tables.ColRegion].(string)+"a")
	str("Type", rec[ColResourceType].(string))
	str("State", rec[ColState].(string))
	created := rec[ColCreatedAt].(time.Time).AppendFormat(make([]byte, 0, 20), time.RFC3339)
	str("LaunchTime", string(created))
	str("ImageId", "ami-"+strconv.FormatUint(rng.uint64(), 16))
	str("SubnetId", "subnet-"+strconv.FormatUint(rng.uint64()>>8, 16))
	str("VpcId", "vpc-"+strconv.FormatUint(rng.uint64()>>16, 16))
	str("PrivateIpAddress", "10."+strconv.Itoa(rng.intN(256))+"."+strconv.Itoa(rng.intN(256))+"."+strconv.Itoa(1+rng.intN(254)))

	// The revision, then nested blocks as an API returns them.
	b = append(b, `"Revision":`...)
	b = strconv.AppendUint(b, uint64(revision), 10)
	b = append(b, `,"CpuOptions":{"CoreCount":`...)
	b = strconv.AppendInt(b, rec[ColCPUCount].(int64), 10)
	b = append(b, `,"ThreadsPerCore":2},"MetadataOptions":{"HttpTokens":"required","HttpPutResponseHopLimit":2,"HttpEndpoint":"enabled","InstanceMetadataTags":"disabled"},"Monitoring":{"State":"disabled"},"EbsOptimized":`...)
	b = strconv.AppendBool(b, rec[ColEncrypted].(bool))
	b = append(b, `,"SecurityGroups":[`...)
	for g, id := range rec[ColSecurityGroupIDs].([]string) {
		if g > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"GroupId":"`...)
		b = append(b, id...)
		b = append(b, `","GroupName":"group-`...)
		b = strconv.AppendInt(b, int64(g), 10)
		b = append(b, `"}`...)
	}

	b = append(b, `],"BlockDeviceMappings":[`...)
	for d := range 2 {
		if d > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"DeviceName":"/dev/xvd`...)
		b = append(b, byte('a'+d))
		b = append(b, `","Ebs":{"VolumeId":"vol-`...)
		b = strconv.AppendUint(b, rng.uint64(), 16)
		b = append(b, `","Status":"attached","DeleteOnTermination":true,"AttachTime":"`...)
		b = append(b, created...)
		b = append(b, `"}}`...)
	}

	// Tags in a fixed order, so that equal rows encode alike.
	b = append(b, `],"Tags":[`...)
	first := true
	for _, key := range []string{"Name", "env", "team", "cost-center", "owner"} {
		value, ok := rec[tables.ColTags].(map[string]string)[key]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"Key":"`...)
		b = append(b, key...)
		b = append(b, `","Value":"`...)
		b = append(b, value...)
		b = append(b, `"}`...)
	}
	return append(b, "]}"...)
}
