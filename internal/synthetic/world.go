// Package synthetic generates a deterministic cloud estate for benchmarks:
// accounts, regions and tables of resources shaped like real ones, served
// by a Provider that the sync engine reads like any cloud. A World made
// from the same Config and the same sequence of Change, Delete and Add
// calls always yields the same records, so benchmarks of sync, drift and
// checks can compare runs.
//
// Nothing here registers itself: tests and benchmarks call Register to make
// the synthetic tables visible to the tables registry.
package synthetic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Config sizes a synthetic estate.
type Config struct {
	// Seed selects the estate. Equal seeds give equal records.
	Seed uint64
	// Accounts is the number of accounts (default 20).
	Accounts int
	// Regions is the number of regions in every account (default 4, at
	// most len(RegionNames)).
	Regions int
	// Tables is the number of synthetic tables synced, taken from the start
	// of TableNames (default 3, at most len(TableNames)).
	Tables int
	// Rows is the number of resources across all partitions (default
	// 1,000,000). Rows are dealt round-robin over the partitions, so every
	// partition holds Rows/partitions rows, give or take one.
	Rows int
}

// DefaultConfig returns the estate of the sync benchmarks: 20 accounts x 4
// regions x 3 tables (240 partitions) holding one million rows.
func DefaultConfig() Config {
	return Config{Seed: 1, Accounts: 20, Regions: 4, Tables: 3, Rows: 1_000_000}
}

// RegionNames are the regions that a World uses, in order.
var RegionNames = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
	"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1",
	"ca-central-1", "sa-east-1", "me-south-1",
}

// World is a synthetic estate and its history of changes. Records reads are
// safe from many goroutines at once, as the sync engine makes them, but
// Change, Delete and Add must not run during a sync.
type World struct {
	cfg      Config
	accounts []string
	tables   []tableShape
	// total counts every row ever created. Row i lives in partition
	// i % partitions, so Add never moves an existing row.
	total int
	// revisions maps a row to the number of times it changed, for the rows
	// that changed at least once.
	revisions map[int32]uint32
	deleted   map[int32]bool
	// mutations counts Change, Delete and Add calls. Each call draws from
	// its own generator, seeded with Seed and this count.
	mutations uint64
}

// New returns the estate that cfg describes, filling zero sizes from
// DefaultConfig (a zero Seed is a seed like any other). It fails on negative sizes and on more regions or tables
// than the package defines.
func New(cfg Config) (*World, error) {
	def := DefaultConfig()
	if cfg.Accounts == 0 {
		cfg.Accounts = def.Accounts
	}
	if cfg.Regions == 0 {
		cfg.Regions = def.Regions
	}
	if cfg.Tables == 0 {
		cfg.Tables = def.Tables
	}
	if cfg.Rows == 0 {
		cfg.Rows = def.Rows
	}
	switch {
	case cfg.Accounts < 0 || cfg.Regions < 0 || cfg.Tables < 0 || cfg.Rows < 0:
		return nil, fmt.Errorf("invalid synthetic estate %+v: sizes must not be negative", cfg)
	case cfg.Regions > len(RegionNames):
		return nil, fmt.Errorf("invalid synthetic estate: %d regions requested, at most %d", cfg.Regions, len(RegionNames))
	case cfg.Tables > len(shapes):
		return nil, fmt.Errorf("invalid synthetic estate: %d tables requested, at most %d", cfg.Tables, len(shapes))
	case cfg.Rows > math.MaxInt32:
		return nil, fmt.Errorf("invalid synthetic estate: %d rows requested, at most %d", cfg.Rows, math.MaxInt32)
	}

	w := &World{
		cfg:       cfg,
		tables:    shapes[:cfg.Tables],
		total:     cfg.Rows,
		revisions: map[int32]uint32{},
		deleted:   map[int32]bool{},
	}
	// Account ids are 12 digits like AWS account ids, distinct and derived
	// from the seed.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	seen := map[string]bool{}
	for len(w.accounts) < cfg.Accounts {
		id := strconv.FormatUint(100_000_000_000+rng.Uint64N(900_000_000_000), 10)
		if !seen[id] {
			seen[id] = true
			w.accounts = append(w.accounts, id)
		}
	}
	return w, nil
}

// Config returns the configuration of the estate, defaults filled in.
func (w *World) Config() Config { return w.cfg }

// Accounts returns the account ids of the estate.
func (w *World) Accounts() []string { return slices.Clone(w.accounts) }

// Regions returns the region names of every account.
func (w *World) Regions() []string { return slices.Clone(RegionNames[:w.cfg.Regions]) }

// Partitions returns the number of partitions: accounts x regions x tables.
func (w *World) Partitions() int { return w.cfg.Accounts * w.cfg.Regions * len(w.tables) }

// Rows returns the number of resources that exist now: the initial rows
// plus those added, minus those deleted.
func (w *World) Rows() int { return w.total - len(w.deleted) }

// Change gives a new revision to round(fraction x Rows()) distinct
// resources chosen at random, and returns how many it changed. Every
// changed resource differs from its previous revision in its policy and raw
// document, and mostly in its state too, so a sync adds exactly one version
// per changed row.
func (w *World) Change(fraction float64) int {
	picked := w.pick(fraction)
	for _, i := range picked {
		w.revisions[i]++
	}
	return len(picked)
}

// Delete removes round(fraction x Rows()) distinct resources chosen at
// random, and returns how many it removed.
func (w *World) Delete(fraction float64) int {
	picked := w.pick(fraction)
	for _, i := range picked {
		w.deleted[i] = true
	}
	return len(picked)
}

// Add creates n new resources, dealt round-robin over the partitions after
// the existing ones. It fails when the estate would exceed math.MaxInt32
// rows.
func (w *World) Add(n int) error {
	if n < 0 || w.total+n > math.MaxInt32 {
		return fmt.Errorf("add %d synthetic rows to %d: invalid count", n, w.total)
	}
	w.mutations++
	w.total += n
	return nil
}

// pick chooses round(fraction x Rows()) distinct live rows with a partial
// Fisher-Yates shuffle, from a generator that depends only on the seed and
// the number of earlier mutations.
func (w *World) pick(fraction float64) []int32 {
	w.mutations++
	fraction = max(0, min(1, fraction))
	n := int(math.Round(fraction * float64(w.Rows())))
	if n == 0 {
		return nil
	}
	live := make([]int32, 0, w.Rows())
	for i := range int32(w.total) {
		if !w.deleted[i] {
			live = append(live, i)
		}
	}
	rng := rand.New(rand.NewPCG(w.cfg.Seed, w.mutations))
	for k := range n {
		j := k + rng.IntN(len(live)-k)
		live[k], live[j] = live[j], live[k]
	}
	return live[:n]
}

// partition returns the index of the partition of one table, account and
// region, and false when the estate has no such partition.
func (w *World) partition(table, account, region string) (int, bool) {
	ti := slices.IndexFunc(w.tables, func(s tableShape) bool { return s.name == table })
	ai := slices.Index(w.accounts, account)
	ri := slices.Index(RegionNames[:w.cfg.Regions], region)
	if ti < 0 || ai < 0 || ri < 0 {
		return 0, false
	}
	return (ti*w.cfg.Accounts+ai)*w.cfg.Regions + ri, true
}
