package synthetic

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stance-cspm/stance/tables"
)

func newWorld(t testing.TB, cfg Config) *World {
	t.Helper()
	w, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// collect returns every record of the estate, keyed by ARN.
func collect(t testing.TB, w *World) map[string]tables.Record {
	t.Helper()
	out := map[string]tables.Record{}
	for _, tbl := range w.Tables() {
		for _, account := range w.Accounts() {
			for _, region := range w.Regions() {
				err := w.Records(tbl.Name, account, region, func(rec tables.Record) error {
					arn := rec[ColARN].(string)
					if _, dup := out[arn]; dup {
						t.Fatalf("ARN %s emitted twice", arn)
					}
					out[arn] = rec
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return out
}

func TestNewDefaults(t *testing.T) {
	w := newWorld(t, Config{Rows: 10})
	cfg := w.Config()
	if cfg.Accounts != 20 || cfg.Regions != 4 || cfg.Tables != 3 {
		t.Errorf("defaults: got %d accounts, %d regions, %d tables, want 20, 4, 3", cfg.Accounts, cfg.Regions, cfg.Tables)
	}
	if got := w.Partitions(); got != 240 {
		t.Errorf("partitions: got %d, want 240", got)
	}
	if got := len(w.Accounts()); got != 20 {
		t.Errorf("accounts: got %d, want 20", got)
	}
}

func TestNewInvalid(t *testing.T) {
	for _, cfg := range []Config{
		{Rows: -1},
		{Regions: len(RegionNames) + 1},
		{Tables: len(TableNames()) + 1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v): got no error", cfg)
		}
	}
}

func TestRecordsDeterministic(t *testing.T) {
	cfg := Config{Seed: 7, Accounts: 2, Regions: 2, Tables: 2, Rows: 500}
	a := collect(t, newWorld(t, cfg))
	b := collect(t, newWorld(t, cfg))
	if len(a) != 500 {
		t.Fatalf("records: got %d, want 500", len(a))
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two worlds from one config emitted different records")
	}

	cfg.Seed = 8
	other := collect(t, newWorld(t, cfg))
	same := 0
	for arn := range other {
		if _, ok := a[arn]; ok {
			same++
		}
	}
	if same != 0 {
		t.Errorf("seeds 7 and 8 share %d ARNs, want 0", same)
	}
}

func TestRecordsShape(t *testing.T) {
	w := newWorld(t, Config{Accounts: 2, Regions: 2, Tables: 4, Rows: 400})
	recs := collect(t, w)
	var policyBytes, rawBytes int
	for arn, rec := range recs {
		policy, ok := rec[ColPolicy].(string)
		if !ok || !json.Valid([]byte(policy)) {
			t.Fatalf("%s: invalid policy %q", arn, rec[ColPolicy])
		}
		raw, ok := rec[tables.ColRaw].(string)
		if !ok || !json.Valid([]byte(raw)) {
			t.Fatalf("%s: invalid raw document %q", arn, rec[tables.ColRaw])
		}
		policyBytes += len(policy)
		rawBytes += len(raw)
	}
	if avg := policyBytes / len(recs); avg < 200 || avg > 600 {
		t.Errorf("mean policy size %d bytes, want 200 to 600", avg)
	}
	if avg := rawBytes / len(recs); avg < 800 || avg > 1400 {
		t.Errorf("mean raw size %d bytes, want 800 to 1400", avg)
	}

	// Every record converts into a store row of its table, with the row
	// count spread evenly over the partitions.
	for _, tbl := range w.Tables() {
		for _, account := range w.Accounts() {
			for _, region := range w.Regions() {
				n := 0
				target := tables.Target{Provider: ProviderName, AccountID: account, Region: region}
				err := w.Records(tbl.Name, account, region, func(rec tables.Record) error {
					n++
					_, err := tbl.Row(target, rec)
					return err
				})
				if err != nil {
					t.Fatalf("%s in %s/%s: %v", tbl.Name, account, region, err)
				}
				if n != 25 {
					t.Errorf("%s in %s/%s: got %d records, want 25", tbl.Name, account, region, n)
				}
			}
		}
	}
}

func TestRecordsUnknownPartition(t *testing.T) {
	w := newWorld(t, Config{Accounts: 1, Regions: 1, Tables: 1, Rows: 10})
	err := w.Records("synthetic_compute_instance", "000000000000", RegionNames[0], func(tables.Record) error { return nil })
	if err == nil {
		t.Error("unknown account: got no error")
	}
	err = w.Records("synthetic_storage_volume", w.Accounts()[0], RegionNames[0], func(tables.Record) error { return nil })
	if err == nil {
		t.Error("table beyond Config.Tables: got no error")
	}
}

func TestChange(t *testing.T) {
	w := newWorld(t, Config{Accounts: 3, Regions: 2, Tables: 2, Rows: 10_000})
	before := collect(t, w)
	changed := w.Change(0.01)
	if changed != 100 {
		t.Fatalf("Change(0.01) of 10000 rows: got %d, want 100", changed)
	}
	after := collect(t, w)
	if len(after) != len(before) {
		t.Fatalf("rows after change: got %d, want %d", len(after), len(before))
	}
	differ := 0
	for arn, rec := range after {
		if !reflect.DeepEqual(rec, before[arn]) {
			differ++
		}
	}
	if differ != changed {
		t.Errorf("records that differ after Change: got %d, want %d", differ, changed)
	}

	// The same sequence of calls on a fresh world changes the same rows.
	again := newWorld(t, w.Config())
	again.Change(0.01)
	if !reflect.DeepEqual(collect(t, again), after) {
		t.Error("replaying Change on a fresh world gave different records")
	}
}

func TestDeleteAndAdd(t *testing.T) {
	w := newWorld(t, Config{Accounts: 2, Regions: 2, Tables: 1, Rows: 1_000})
	if got := w.Delete(0.1); got != 100 {
		t.Fatalf("Delete(0.1) of 1000 rows: got %d, want 100", got)
	}
	if got := len(collect(t, w)); got != 900 {
		t.Errorf("records after delete: got %d, want 900", got)
	}
	if err := w.Add(50); err != nil {
		t.Fatal(err)
	}
	if got, want := len(collect(t, w)), 950; got != want || w.Rows() != want {
		t.Errorf("records after add: got %d (Rows %d), want %d", got, w.Rows(), want)
	}
	if err := w.Add(-1); err == nil {
		t.Error("Add(-1): got no error")
	}
}

func TestRegisterTwice(t *testing.T) {
	Register()
	Register()
	for _, name := range TableNames() {
		tbl, ok := tables.Lookup(name)
		if !ok {
			t.Fatalf("table %s not registered", name)
		}
		if tbl.Provider != ProviderName {
			t.Errorf("table %s: provider %q, want %q", name, tbl.Provider, ProviderName)
		}
	}
}

// BenchmarkRecords measures the cost of generating records alone, which
// every sync benchmark includes.
func BenchmarkRecords(b *testing.B) {
	w := newWorld(b, Config{Accounts: 1, Regions: 1, Tables: 1, Rows: 10_000})
	account, region := w.Accounts()[0], w.Regions()[0]
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		err := w.Records(TableNames()[0], account, region, func(tables.Record) error {
			rows++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
