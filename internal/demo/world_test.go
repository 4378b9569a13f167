package demo

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/awsfile"
)

// TestWorldHasEveryResponse fails when a table makes a call that the demo
// world has no response file for. A missing file for a list call shows up
// as a NotCollected blind spot. A missing file for a detail call (a
// bucket's policy, a key's rotation) only leaves columns NULL, so the
// sync result alone would not show it.
func TestWorldHasEveryResponse(t *testing.T) {
	_, _, recorder := sharedSync(t)
	for _, call := range recorder.missingCalls() {
		t.Errorf("no response file for %s: add it, or declare the call's error in _errors.json", call)
	}
}

// TestWorldAccounts checks the accounts and regions that awsfile finds.
func TestWorldAccounts(t *testing.T) {
	fsys, root := World()
	src, err := awsfile.OpenFS(fsys, root)
	if err != nil {
		t.Fatalf("open demo world: %v", err)
	}

	want := map[string]string{
		ProdAccountID:     "us-east-1 eu-west-1",
		DevAccountID:      "ap-southeast-2 us-east-1 eu-west-1",
		SecurityAccountID: "us-east-1 eu-west-1",
	}
	accounts := src.Accounts()
	if len(accounts) != len(want) {
		t.Fatalf("got %d accounts, want %d", len(accounts), len(want))
	}
	for _, a := range accounts {
		regions, ok := want[a.ID]
		if !ok {
			t.Errorf("got unexpected account %s", a.ID)
			continue
		}
		got := strings.Join(a.Regions, " ")
		wantSorted := strings.Fields(regions)
		sort.Strings(wantSorted)
		if got != strings.Join(wantSorted, " ") {
			t.Errorf("account %s: got regions %q, want %q", a.ID, got, strings.Join(wantSorted, " "))
		}
		if AccountNames()[a.ID] == "" {
			t.Errorf("account %s has no name in AccountNames", a.ID)
		}
	}
}

// TestWorldFilesAreJSON checks that every file of the world is one valid
// JSON document, so that a typo fails here with the file name rather than
// as a failed partition.
func TestWorldFilesAreJSON(t *testing.T) {
	fsys, root := World()
	var files int
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if !json.Valid(data) {
			t.Errorf("%s: invalid JSON", name)
		}
		if isFlatFile(root, name) && path.Ext(name) != ".json" {
			t.Errorf("%s: a file in an account or region folder needs the .json suffix", name)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk demo world: %v", err)
	}
	if files == 0 {
		t.Fatal("got no files in the demo world")
	}
}

// maxWorldBytes bounds the size of the embedded world, which every stance
// binary carries.
const maxWorldBytes = 400 << 10

// TestWorldSize keeps the embedded world small.
func TestWorldSize(t *testing.T) {
	fsys, root := World()
	var total int64
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatalf("walk demo world: %v", err)
	}
	if total > maxWorldBytes {
		t.Errorf("got %d bytes of world files, want at most %d", total, maxWorldBytes)
	}
}

// futureDateKeys are the JSON keys whose dates lie ahead by nature.
var futureDateKeys = map[string]bool{
	"Expiration":       true, // IAM server certificate
	"NextRotationDate": true, // KMS key rotation
	"ValidTill":        true, // RDS certificate
}

// TestWorldEventsBeforeCollectedAt checks the promise of CollectedAt: no
// recorded event of the world happens after it.
func TestWorldEventsBeforeCollectedAt(t *testing.T) {
	fsys, root := World()
	var dates int
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		walkDates(doc, "", func(key string, at time.Time) {
			dates++
			if !futureDateKeys[key] && at.After(CollectedAt()) {
				t.Errorf("%s: %s is %s, after CollectedAt %s", name, key, at.Format(time.RFC3339), CollectedAt().Format(time.RFC3339))
			}
		})
		return nil
	})
	if err != nil {
		t.Fatalf("walk demo world: %v", err)
	}
	if dates == 0 {
		t.Fatal("found no dates in the demo world; the date layouts are wrong")
	}
}

// walkDates calls found for every string in doc that parses as a time,
// with the key of the object member that holds it.
func walkDates(doc any, key string, found func(key string, at time.Time)) {
	switch v := doc.(type) {
	case map[string]any:
		for k, member := range v {
			walkDates(member, k, found)
		}
	case []any:
		for _, item := range v {
			walkDates(item, key, found)
		}
	case string:
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05.000-0700"} {
			if at, err := time.Parse(layout, v); err == nil {
				found(key, at)
				return
			}
		}
	}
}

// regionFolder matches region folder names such as us-east-1.
var regionFolder = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// isFlatFile reports whether name lies directly in an account or region
// folder, where awsfile expects <service>-<operation>.json, and not in the
// folder of a per-resource call.
func isFlatFile(root, name string) bool {
	dir := path.Dir(name)
	return path.Dir(dir) == root || regionFolder.MatchString(path.Base(dir))
}
