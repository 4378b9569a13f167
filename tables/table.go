// Package tables holds the definitions of stance's resource tables: their
// names, columns, descriptions and fetch functions. Provider packages such
// as tables/aws register their tables here from init functions, so a table
// cannot be defined without being listed.
package tables

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/stance-cspm/stance/internal/store"
)

// Standard columns that every resource table has.
const (
	ColAccountID = "account_id" // AWS account, Azure subscription or GCP project
	ColRegion    = "region"     // region of the resource, "global" for global services
	ColTags      = "tags"       // resource tags or labels
	ColRaw       = "raw"        // the whole API object as returned, as JSON
)

// GlobalRegion is the region of partitions and rows of global services.
const GlobalRegion = "global"

// Target is one account in one region that a fetch function reads. Client
// is the provider's handle for that account and region, such as the AWS
// service clients.
type Target struct {
	Provider  string
	AccountID string
	Region    string
	Client    any
}

// Record is one resource as a fetch function emits it: column name to
// value. Values may be SDK types (pointers, enums, slices); Table.Row
// converts them to the column types. account_id and region default to the
// target's.
type Record map[string]any

// FetchFunc reads every resource of a table in one target and emits one
// record per resource. It returns an error when the partition could not be
// read completely, and the engine then keeps the partition's previous rows.
type FetchFunc func(ctx context.Context, target Target, emit func(Record) error) error

// Table defines one resource table.
type Table struct {
	Name        string
	Provider    string
	Description string
	// Columns are the table's own columns. Schema adds account_id and
	// region before them and tags and raw after them.
	Columns []store.Column
	// Key names the column whose value identifies a resource across syncs,
	// usually "arn".
	Key string
	// Global tables are fetched once per account, in the partition whose
	// region is "global".
	Global bool
	// IgnoreInDrift lists the fields that change on every read without a
	// change of configuration, such as last-used times and usage counters.
	// Each entry is a column name or a JSON path below one
	// ("raw.LastUsed"); drift leaves out that field and everything under it.
	IgnoreInDrift []string
	Fetch         FetchFunc

	layoutOnce sync.Once
	schema     store.Schema
	index      map[string]int
}

// Schema returns the table's full column list for the store.
func (t *Table) Schema() store.Schema {
	cols := []store.Column{
		{Name: ColAccountID, Type: store.TypeText, Description: "Account (AWS), subscription (Azure) or project (GCP) that owns the resource."},
		{Name: ColRegion, Type: store.TypeText, Description: `Region of the resource, or "global" for a global service.`},
	}
	cols = append(cols, t.Columns...)
	cols = append(cols,
		store.Column{Name: ColTags, Type: store.TypeTags, Description: "Tags of the resource as a map of key to value."},
		store.Column{Name: ColRaw, Type: store.TypeJSON, Description: "The whole API object as JSON, secrets redacted."},
	)
	return store.Schema{Name: t.Name, Description: t.Description, Columns: cols}
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Table{}
)

// Register adds a table to the registry. It panics on a duplicate or an
// invalid definition, because both are programming errors caught by tests.
func Register(t *Table) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if err := t.validate(); err != nil {
		panic(err)
	}
	if _, dup := registry[t.Name]; dup {
		panic(fmt.Sprintf("tables: table %s registered twice", t.Name))
	}
	registry[t.Name] = t
}

func (t *Table) validate() error {
	if !store.ValidIdentifier(t.Name) || !strings.HasPrefix(t.Name, t.Provider+"_") {
		return fmt.Errorf("tables: invalid table name %q: want %s_<service>_<resource> in lowercase", t.Name, t.Provider)
	}
	if t.Description == "" || t.Fetch == nil {
		return fmt.Errorf("tables: table %s needs a description and a fetch function", t.Name)
	}
	seen := map[string]bool{}
	for _, c := range t.Schema().Columns {
		if seen[c.Name] {
			return fmt.Errorf("tables: table %s: column %s defined twice", t.Name, c.Name)
		}
		if c.Description == "" {
			return fmt.Errorf("tables: table %s: column %s has no description", t.Name, c.Name)
		}
		seen[c.Name] = true
	}
	if !seen[t.Key] {
		return fmt.Errorf("tables: table %s: key column %q is not a column", t.Name, t.Key)
	}
	return nil
}

// All returns every registered table, sorted by name.
func All() []*Table {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Table, 0, len(registry))
	for _, t := range registry {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ByProvider returns the registered tables of one provider, sorted by name.
func ByProvider(provider string) []*Table {
	var out []*Table
	for _, t := range All() {
		if t.Provider == provider {
			out = append(out, t)
		}
	}
	return out
}

// Lookup returns the table with the given name.
func Lookup(name string) (*Table, bool) {
	registryMu.Lock()
	defer registryMu.Unlock()
	t, ok := registry[name]
	return t, ok
}
