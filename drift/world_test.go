package drift

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stance-cspm/stance/internal/demo"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

var discardLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// Sync times of the two syncs of the changed world.
var (
	firstSync  = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	secondSync = time.Date(2026, 3, 1, 14, 2, 0, 0, time.UTC)
)

// testWorld is an in-memory copy of the demo estate that a test edits
// between two syncs.
type testWorld struct {
	files fstest.MapFS
	root  string
}

func loadWorld(t *testing.T) *testWorld {
	t.Helper()
	fsys, root := demo.World()
	w := &testWorld{files: fstest.MapFS{}, root: root}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		w.files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatalf("copy demo world: %v", err)
	}
	return w
}

// replace changes the only occurrence of old in one file of the world.
func (w *testWorld) replace(t *testing.T, file, old, new string) {
	t.Helper()
	f := w.files[w.root+"/"+file]
	if f == nil {
		t.Fatalf("no file %s in the demo world", file)
	}
	if n := strings.Count(string(f.Data), old); n != 1 {
		t.Fatalf("%s contains %q %d times, want once", file, old, n)
	}
	f.Data = []byte(strings.Replace(string(f.Data), old, new, 1))
}

// editJSON decodes one file of the world, lets edit change it and writes
// it back.
func (w *testWorld) editJSON(t *testing.T, file string, edit func(doc map[string]any)) {
	t.Helper()
	f := w.files[w.root+"/"+file]
	if f == nil {
		t.Fatalf("no file %s in the demo world", file)
	}
	var doc map[string]any
	if err := json.Unmarshal(f.Data, &doc); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	edit(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("encode %s: %v", file, err)
	}
	f.Data = data
}

func (w *testWorld) sync(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	p, err := syncaws.NewOfflineFS(w.files, w.root, "changed demo world")
	if err != nil {
		t.Fatalf("open world: %v", err)
	}
	opts := sync.Options{Now: func() time.Time { return now }, Logger: discardLog}
	if _, err := sync.Run(context.Background(), st, p, opts); err != nil {
		t.Fatalf("sync at %s: %v", now, err)
	}
}

// Resources that changedWorld changes.
const (
	publicBucket       = "210987654321/arn:aws:s3:::acme-prod-app-assets"
	removedInstance    = "i-0f9e8d7c6b5a49382"
	taggedInstance     = "i-0a1b2c3d4e5f60718"
	openedGroup        = "sg-0a11c0ffee0000001"
	noisyAccessKey     = "AKIADEMO0PRODDEPLOY1"
	prodUSEast1        = "prod/us-east-1/"
	publicBucketPolicy = `{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::acme-prod-app-assets/*\"},`
)

// changedWorld syncs the demo world, changes it and syncs it again. A
// deployment pipeline makes a bucket public, a rule opens SSH to the world,
// an instance is terminated and gone, and a tag changes. Two fields that
// move with use also move: the last use of an access key and the free
// addresses of a subnet.
func changedWorld(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	w := loadWorld(t)
	w.sync(t, st, firstSync)

	w.replace(t, prodUSEast1+"s3-get-bucket-policy/acme-prod-app-assets",
		`\"Statement\":[`, `\"Statement\":[`+publicBucketPolicy)
	w.replace(t, prodUSEast1+"s3-get-bucket-policy-status/acme-prod-app-assets", `"IsPublic": false`, `"IsPublic": true`)
	w.editJSON(t, prodUSEast1+"ec2-describe-security-groups.json", func(doc map[string]any) {
		for _, g := range doc["SecurityGroups"].([]any) {
			group := g.(map[string]any)
			if group["GroupId"] != openedGroup {
				continue
			}
			group["IpPermissions"] = append(group["IpPermissions"].([]any), map[string]any{
				"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
				"IpRanges":         []any{map[string]any{"CidrIp": "0.0.0.0/0"}},
				"Ipv6Ranges":       []any{},
				"PrefixListIds":    []any{},
				"UserIdGroupPairs": []any{},
			})
		}
	})
	w.editJSON(t, prodUSEast1+"ec2-describe-instances.json", func(doc map[string]any) {
		for _, r := range doc["Reservations"].([]any) {
			reservation := r.(map[string]any)
			var kept []any
			for _, i := range reservation["Instances"].([]any) {
				if i.(map[string]any)["InstanceId"] != removedInstance {
					kept = append(kept, i)
				}
			}
			reservation["Instances"] = kept
		}
	})
	w.replace(t, prodUSEast1+"ec2-describe-instances.json", `"Value":"legacy-bastion"`, `"Value":"bastion-retired"`)
	w.replace(t, prodUSEast1+"iam-get-access-key-last-used/"+noisyAccessKey, "2025-03-01T11:30:00.000Z", "2026-03-01T13:55:00.000Z")
	w.editJSON(t, prodUSEast1+"ec2-describe-subnets.json", func(doc map[string]any) {
		subnet := doc["Subnets"].([]any)[0].(map[string]any)
		subnet["AvailableIpAddressCount"] = 243
	})

	w.sync(t, st, secondSync)
	return st
}
