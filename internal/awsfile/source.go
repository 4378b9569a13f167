package awsfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Source serves AWS SDK calls from a folder of AWS CLI JSON outputs in the
// CloudMapper layout. It is safe for concurrent use.
type Source struct {
	fsys fs.FS
	// display turns a path inside fsys into the path shown to users.
	display  func(p string) string
	accounts []*account
}

// Account is one AWS account found in the folder.
type Account struct {
	// ID is the 12-digit account ID.
	ID string
	// Dir is the account's folder: a file system path for Open, a path
	// inside the fs.FS for OpenFS.
	Dir string
	// Regions are the region folders present, sorted.
	Regions []string
}

// account is an Account plus the state needed to serve its calls.
type account struct {
	Account
	// fsDir is the account folder inside the source's fs.FS.
	fsDir string
	// globalRegion is the region folder that holds global services.
	globalRegion string
	// faults holds the parsed _errors.json files by folder: "" for the
	// account folder, a region name for a region folder.
	faults map[string]faultRules
}

const (
	regionsFile        = "describe-regions.json"
	callerIdentityFile = "sts-get-caller-identity.json"
)

// regionName matches region folder names such as us-east-1 or us-gov-west-1.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// accountIDPattern matches a 12-digit AWS account ID.
var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// globalRegions are the folders CloudMapper collects global services in, by
// partition, in the order they are looked for.
var globalRegions = []string{"us-east-1", "us-gov-west-1", "cn-north-1"}

// Open reads the layout under dir and returns a source, or an error naming what is missing.
func Open(dir string) (*Source, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open AWS data folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("open AWS data folder %s: not a folder; pass the folder that CloudMapper's collect wrote", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open AWS data folder %s: %w", dir, err)
	}

	display := func(p string) string {
		if p == "." {
			return dir
		}
		// Join without cleaning, so a ".." from a resource value is shown
		// as it was looked up.
		return strings.TrimRight(dir, string(filepath.Separator)) + string(filepath.Separator) + filepath.FromSlash(p)
	}
	return open(os.DirFS(dir), ".", filepath.Base(abs), display)
}

// OpenFS is Open for the folder root inside fsys, such as an embed.FS.
func OpenFS(fsys fs.FS, root string) (*Source, error) {
	root = path.Clean(root)
	if !fs.ValidPath(root) {
		return nil, fmt.Errorf("open AWS data folder %q: invalid fs.FS path; use a slash-separated path without a leading slash, or \".\"", root)
	}
	return open(fsys, root, path.Base(root), func(p string) string { return p })
}

func open(fsys fs.FS, root, rootName string, display func(string) string) (*Source, error) {
	s := &Source{fsys: fsys, display: display}

	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("open AWS data folder %s: %w", display(root), err)
	}

	// The folder is one account if it contains region folders or the region
	// list, else each subfolder that does is one account.
	if looksLikeAccount(entries) {
		acct, err := s.readAccount(root, rootName, entries)
		if err != nil {
			return nil, err
		}
		s.accounts = append(s.accounts, acct)
	} else {
		for _, e := range entries {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			dir := path.Join(root, e.Name())
			sub, err := fs.ReadDir(fsys, dir)
			if err != nil {
				return nil, fmt.Errorf("open AWS data folder %s: %w", display(dir), err)
			}
			if !looksLikeAccount(sub) {
				continue
			}
			acct, err := s.readAccount(dir, e.Name(), sub)
			if err != nil {
				return nil, err
			}
			s.accounts = append(s.accounts, acct)
		}
	}

	if len(s.accounts) == 0 {
		return nil, fmt.Errorf("open AWS data folder %s: no account data: want %s or region folders such as us-east-1 in it, or one such folder per account", display(root), regionsFile)
	}
	if err := s.checkUniqueIDs(); err != nil {
		return nil, err
	}
	return s, nil
}

// looksLikeAccount reports whether a folder's entries are an account's.
func looksLikeAccount(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() && regionName.MatchString(e.Name()) {
			return true
		}
		if !e.IsDir() && e.Name() == regionsFile {
			return true
		}
	}
	return false
}

// readAccount reads the account folder dir, whose base name is name.
func (s *Source) readAccount(dir, name string, entries []fs.DirEntry) (*account, error) {
	acct := &account{fsDir: dir, faults: map[string]faultRules{}}
	acct.Dir = s.display(dir)
	for _, e := range entries {
		if e.IsDir() && regionName.MatchString(e.Name()) {
			acct.Regions = append(acct.Regions, e.Name())
		}
	}
	sort.Strings(acct.Regions)

	acct.globalRegion = globalRegions[0]
	for _, r := range globalRegions {
		if acct.hasRegion(r) {
			acct.globalRegion = r
			break
		}
	}

	id, err := s.readAccountID(acct, name)
	if err != nil {
		return nil, err
	}
	acct.ID = id

	for _, folder := range append([]string{""}, acct.Regions...) {
		if err := s.readFaults(acct, folder); err != nil {
			return nil, err
		}
	}
	return acct, nil
}

// readAccountID returns the account ID from sts-get-caller-identity.json in
// the account folder or any region folder, else from a 12-digit folder name.
func (s *Source) readAccountID(acct *account, name string) (string, error) {
	var id, idFile string
	for _, folder := range append([]string{""}, acct.Regions...) {
		file := path.Join(acct.fsDir, folder, callerIdentityFile)
		data, err := fs.ReadFile(s.fsys, file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("read account ID: %w", err)
		}

		var out sts.GetCallerIdentityOutput
		if err := Unmarshal(data, &out); err != nil {
			return "", fmt.Errorf("read account ID from %s: %w", s.display(file), err)
		}
		if out.Account == nil || *out.Account == "" {
			return "", fmt.Errorf("read account ID from %s: no \"Account\" field; add the 12-digit account ID as \"Account\"", s.display(file))
		}
		if id != "" && *out.Account != id {
			return "", fmt.Errorf("read account ID: %s has %q but %s has %q; an account folder must contain one account's data, so fix or remove one of the files", s.display(idFile), id, s.display(file), *out.Account)
		}
		id, idFile = *out.Account, file
	}
	if id != "" {
		return id, nil
	}

	if accountIDPattern.MatchString(name) {
		return name, nil
	}
	identity := path.Join(acct.fsDir, acct.globalRegion, callerIdentityFile)
	return "", fmt.Errorf("read account ID for %s: no %s and the folder name %q is not a 12-digit account ID; add %s with {\"Account\": \"123456789012\"} or rename the folder to the account ID",
		acct.Dir, callerIdentityFile, name, s.display(identity))
}

// readFaults parses the _errors.json file of one folder of acct, if any.
func (s *Source) readFaults(acct *account, folder string) error {
	file := path.Join(acct.fsDir, folder, errorsFile)
	data, err := fs.ReadFile(s.fsys, file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read declared errors: %w", err)
	}
	rules, err := parseFaultRules(s.display(file), data)
	if err != nil {
		return err
	}
	acct.faults[folder] = rules
	return nil
}

func (s *Source) checkUniqueIDs() error {
	seen := map[string]string{}
	for _, acct := range s.accounts {
		if other, ok := seen[acct.ID]; ok {
			return fmt.Errorf("open AWS data folder: account %s is in both %s and %s; keep one folder per account", acct.ID, other, acct.Dir)
		}
		seen[acct.ID] = acct.Dir
	}
	sort.Slice(s.accounts, func(i, j int) bool { return s.accounts[i].ID < s.accounts[j].ID })
	return nil
}

// Accounts returns the accounts found, sorted by ID.
func (s *Source) Accounts() []Account {
	out := make([]Account, len(s.accounts))
	for i, acct := range s.accounts {
		out[i] = acct.Account
		out[i].Regions = append([]string(nil), acct.Regions...)
	}
	return out
}

func (s *Source) account(id string) (*account, bool) {
	for _, acct := range s.accounts {
		if acct.ID == id {
			return acct, true
		}
	}
	return nil, false
}

func (a *account) hasRegion(region string) bool {
	for _, r := range a.Regions {
		if r == region {
			return true
		}
	}
	return false
}
