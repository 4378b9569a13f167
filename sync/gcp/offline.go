package gcp

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/sync"
	gcptables "github.com/stance-cspm/stance/tables/gcp"
)

// Offline reads Cloud Asset Inventory export files through the same
// tables as live sync. It reads every file when it is created, so that a
// malformed file fails the import before anything is written.
//
// The records go to a temporary spool file while they are read, and the
// tables read them back from there, so memory holds an index entry of 104
// bytes per asset. Close removes the file.
type Offline struct {
	ix         *index
	source     string
	projects   []string
	assetTypes []string
	// Files lists the asset count and warnings of each file, in the
	// order read.
	Files []FileSummary
}

// FileSummary is the result of reading one import file.
type FileSummary struct {
	Path     string
	Assets   int
	Warnings []string
}

// OfflineOptions select what an import reads.
type OfflineOptions struct {
	// Paths are files and folders. A folder is read recursively for files
	// ending in .json, .jsonl or .ndjson.
	Paths []string
	// Projects, when not empty, limits the import to these project ids,
	// or to folder and organization scopes such as organizations/123.
	Projects []string
	// AssetTypes limits gcp_asset to these types, one partition each.
	AssetTypes []string
	Logger     *slog.Logger
}

// NewOffline reads the import files.
func NewOffline(opts OfflineOptions) (*Offline, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	paths, projects := opts.Paths, opts.Projects
	if len(paths) == 0 {
		return nil, fmt.Errorf("no import file given: pass --from-file with a file or a folder of Cloud Asset Inventory exports")
	}
	files, err := expandPaths(paths)
	if err != nil {
		return nil, err
	}

	o := &Offline{source: "file:" + strings.Join(paths, ","), projects: projects, assetTypes: opts.AssetTypes}
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	var refs []assetRef
	byName := map[string][]*gcpasset.Asset{}
	for _, path := range files {
		sum, err := readFile(path, func(a *gcpasset.Asset) error {
			if a.AssetType == gcpasset.TypeFolder || a.AssetType == gcpasset.TypeOrganization {
				byName[a.Name] = append(byName[a.Name], a)
			}
			ref, err := sp.add(a)
			refs = append(refs, ref)
			return err
		})
		if err != nil {
			sp.close()
			return nil, err
		}
		for _, w := range sum.Warnings {
			log.Warn("import file has stray input", "file", path, "warning", w)
		}
		o.Files = append(o.Files, sum)
	}

	if err := sp.finish(); err != nil {
		sp.close()
		return nil, err
	}
	o.ix = buildIndex(sp, refs, byName)
	log.Info("import files read", "files", len(files), "assets", len(refs), "scopes", len(o.ix.byScope))
	for _, p := range projects {
		if _, ok := o.ix.byScope[p]; !ok {
			sp.close()
			return nil, fmt.Errorf("--project %s: no asset of the import files belongs to it (found: %s)", p, strings.Join(firstN(o.ix.scopes(), 20), ", "))
		}
	}
	return o, nil
}

func readFile(path string, fn func(*gcpasset.Asset) error) (FileSummary, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileSummary{}, fmt.Errorf("open import file: %w", err)
	}
	defer f.Close()
	dec, err := gcpasset.Decode(f, fn)
	if err != nil {
		return FileSummary{}, fmt.Errorf("read %s: %w (want Cloud Asset Inventory assets as JSON: one per line, an array, or a single object)", path, err)
	}
	return FileSummary{Path: path, Assets: dec.Assets, Warnings: dec.Warnings}, nil
}

// expandPaths returns the files to read: each file given, and the JSON
// files below each folder given, sorted.
func expandPaths(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("--from-file %s: %w", p, err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && isImportFile(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--from-file %s: %w", p, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("--from-file %s: no .json, .jsonl or .ndjson file found in the folder", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

func isImportFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".jsonl", ".ndjson":
		return true
	}
	return false
}

// Close releases the spool file.
func (o *Offline) Close() error { return o.ix.spool.close() }

// Name returns "gcp".
func (*Offline) Name() string { return gcptables.Provider }

// Source returns "file:PATHS".
func (o *Offline) Source() string { return o.source }

// Classify maps errors as live sync does. Import errors carry no gRPC
// status, so they are failures.
func (*Offline) Classify(err error) (string, string) { return classify(err) }

// Scopes returns one scope per project, folder or organization found in
// the files.
func (o *Offline) Scopes(context.Context) ([]sync.Scope, error) {
	names := o.ix.scopes()
	if len(o.projects) > 0 {
		names = slices.DeleteFunc(names, func(s string) bool { return !slices.Contains(o.projects, s) })
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no asset found in %s", o.source)
	}
	scopes := make([]sync.Scope, 0, len(names))
	for _, name := range names {
		client := gcptables.Client{ProjectID: name, Assets: lister{spool: o.ix.spool, refs: o.ix.byScope[name]}}
		if ancestors := o.ix.ancestorAssets(name); len(ancestors) > 0 {
			client.Ancestors = func(context.Context) ([]*gcpasset.Asset, error) { return ancestors, nil }
		}
		scopes = append(scopes, scopeFor(name, client, o.assetTypes))
	}
	return scopes, nil
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(slices.Clone(s[:n]), "...")
	}
	return s
}
