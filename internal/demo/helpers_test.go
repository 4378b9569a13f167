package demo

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

// recordingFS is an fs.FS that remembers every path opened in it, found or
// not. awsfile looks for a response file under a few candidate names, so
// the paths opened show which calls the tables made.
type recordingFS struct {
	fsys fs.FS
	mu   gosync.Mutex
	seen map[string]bool
}

func newRecordingFS(fsys fs.FS) *recordingFS {
	return &recordingFS{fsys: fsys, seen: map[string]bool{}}
}

// Open opens name in the wrapped file system and records it.
func (r *recordingFS) Open(name string) (fs.File, error) {
	r.mu.Lock()
	r.seen[name] = true
	r.mu.Unlock()
	return r.fsys.Open(name)
}

// missingCalls returns the calls whose response file was looked for but is
// absent, as the path of the file without its .json suffix. A call has a
// response when any of its candidate names exists: with or without
// ".json", and "accessanalzyer" for "accessanalyzer", the spelling some
// CloudMapper outputs have.
func (r *recordingFS) missingCalls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()

	found := map[string]bool{}
	looked := map[string]bool{}
	for name := range r.seen {
		call := callOf(name)
		if call == "" {
			continue
		}
		looked[call] = true
		if info, err := fs.Stat(r.fsys, name); err == nil && !info.IsDir() {
			found[call] = true
		}
	}
	var missing []string
	for call := range looked {
		if !found[call] {
			missing = append(missing, call)
		}
	}
	sort.Strings(missing)
	return missing
}

// callOf returns the call that a response file name stands for, or "" for
// a name that is not a response file (a folder, _errors.json, the region
// list or the caller identity).
func callOf(name string) string {
	base := path.Base(name)
	switch {
	case base == "_errors.json", base == "describe-regions.json", base == "sts-get-caller-identity.json":
		return ""
	case !strings.Contains(name, "-"):
		return ""
	}
	name = strings.TrimSuffix(name, ".json")
	return strings.Replace(name, "/accessanalzyer-", "/accessanalyzer-", 1)
}

// demoSyncTime is the fixed clock of the test syncs.
var demoSyncTime = CollectedAt()

// syncWorld syncs the demo world into st through a recording file system.
func syncWorld(t *testing.T, st *store.Store, now time.Time) (*sync.Result, *recordingFS) {
	t.Helper()
	fsys, root := World()
	recorder := newRecordingFS(fsys)
	provider, err := syncaws.NewOfflineFS(recorder, root, "demo")
	if err != nil {
		t.Fatalf("open demo world: %v", err)
	}
	res, err := sync.Run(context.Background(), st, provider, sync.Options{
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("sync demo world: %v", err)
	}
	return res, recorder
}

// openStore opens an in-memory store that is closed when the test ends.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatalf("open in-memory store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// syncedDemo is the demo world synced once and shared by the tests that
// only read it.
var syncedDemo struct {
	once     gosync.Once
	store    *store.Store
	result   *sync.Result
	recorder *recordingFS
	err      error
}

// sharedSync returns the store, run result and recording of the shared
// demo sync, syncing on first use.
func sharedSync(t *testing.T) (*store.Store, *sync.Result, *recordingFS) {
	t.Helper()
	syncedDemo.once.Do(func() {
		st, err := store.Open(context.Background(), "")
		if err != nil {
			syncedDemo.err = err
			return
		}
		syncedDemo.store = st
		syncedDemo.result, syncedDemo.recorder = syncWorld(t, st, demoSyncTime)
	})
	if syncedDemo.err != nil {
		t.Fatalf("open in-memory store: %v", syncedDemo.err)
	}
	if syncedDemo.result == nil {
		t.Fatal("the shared demo sync failed in an earlier test")
	}
	return syncedDemo.store, syncedDemo.result, syncedDemo.recorder
}

// queryCount runs a query that returns one integer.
func queryCount(t *testing.T, st *store.Store, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := st.DB().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	return n
}
