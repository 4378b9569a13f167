package aws

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/stance-cspm/stance/internal/awsfile"
	"github.com/stance-cspm/stance/sync"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

// Offline reads AWS from a folder of AWS CLI outputs in CloudMapper's
// layout, through the same SDK clients and fetch functions as live sync.
type Offline struct {
	src     *awsfile.Source
	source  string
	regions []string
}

// NewOffline opens a folder of AWS CLI outputs. regions, when not empty,
// limits the regions read. A region that no account folder has is an
// error, so that a typo does not silently read nothing.
func NewOffline(dir string, regions []string) (*Offline, error) {
	src, err := awsfile.Open(dir)
	if err != nil {
		return nil, err
	}
	present := map[string]bool{}
	var all []string
	for _, a := range src.Accounts() {
		for _, r := range a.Regions {
			if !present[r] {
				all = append(all, r)
			}
			present[r] = true
		}
	}
	for _, r := range regions {
		if !present[r] {
			slices.Sort(all)
			return nil, fmt.Errorf("--regions %s: no account in %s has a %s folder (it has: %s)", r, dir, r, strings.Join(all, ", "))
		}
	}
	return &Offline{src: src, source: "dir:" + dir, regions: regions}, nil
}

// NewOfflineFS opens the same layout inside a file system, such as the
// demo world embedded in the binary.
func NewOfflineFS(fsys fs.FS, root, name string) (*Offline, error) {
	src, err := awsfile.OpenFS(fsys, root)
	if err != nil {
		return nil, err
	}
	return &Offline{src: src, source: name}, nil
}

// Name returns "aws".
func (*Offline) Name() string { return awstables.Provider }

// Source returns "dir:PATH" or the name given to NewOfflineFS.
func (o *Offline) Source() string { return o.source }

// Classify maps errors to blind spots and failures; a file missing from
// the folder is a blind spot ("NotCollected").
func (*Offline) Classify(err error) (string, string) { return classify(err) }

// Scopes returns every account in the folder with its region folders.
func (o *Offline) Scopes(context.Context) ([]sync.Scope, error) {
	var scopes []sync.Scope
	for _, a := range o.src.Accounts() {
		regions := a.Regions
		if len(o.regions) > 0 {
			regions = slices.DeleteFunc(slices.Clone(o.regions), func(r string) bool { return !slices.Contains(a.Regions, r) })
		}
		account := a.ID
		scopes = append(scopes, sync.Scope{AccountID: account, Regions: regions, Client: clientCache(func(region string) (*awstables.Clients, error) {
			cfg, err := o.src.Config(account, region)
			if err != nil {
				return nil, fmt.Errorf("read %s/%s from %s: %w", account, region, o.source, err)
			}
			return awstables.NewClients(cfg, account, region), nil
		})})
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("no account found in %s", o.source)
	}
	return scopes, nil
}
