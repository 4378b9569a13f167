package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"testing"
	"time"

	"github.com/stance-cspm/stance/sync"
	syncaws "github.com/stance-cspm/stance/sync/aws"
)

// TestIncidentWorldChangesThreeFiles compares every file of the incident
// world with the demo world: only the bucket's policy, policy status and
// public access block differ, and every folder lists the same entries.
func TestIncidentWorldChangesThreeFiles(t *testing.T) {
	base, root := World()
	changed, changedRoot, err := IncidentWorld()
	if err != nil {
		t.Fatalf("incident world: %v", err)
	}
	if changedRoot != root {
		t.Fatalf("got root %q, want %q", changedRoot, root)
	}
	dir := path.Join(root, "prod", "us-east-1")
	wantChanged := map[string]bool{
		path.Join(dir, "s3-get-bucket-policy", IncidentBucket):        true,
		path.Join(dir, "s3-get-bucket-policy-status", IncidentBucket): true,
		path.Join(dir, "s3-get-public-access-block", IncidentBucket):  true,
	}

	var files int
	err = fs.WalkDir(base, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			want, err := fs.ReadDir(base, name)
			if err != nil {
				return err
			}
			got, err := fs.ReadDir(changed, name)
			if err != nil {
				t.Errorf("read folder %s of the incident world: %v", name, err)
				return nil
			}
			if len(got) != len(want) {
				t.Errorf("folder %s: got %d entries, want %d", name, len(got), len(want))
			}
			return nil
		}
		files++
		want, err := fs.ReadFile(base, name)
		if err != nil {
			return err
		}
		got, err := fs.ReadFile(changed, name)
		if err != nil {
			t.Errorf("read %s of the incident world: %v", name, err)
			return nil
		}
		info, err := fs.Stat(changed, name)
		if err != nil {
			t.Errorf("stat %s of the incident world: %v", name, err)
		} else if info.Size() != int64(len(got)) {
			t.Errorf("%s: got size %d from Stat, want %d", name, info.Size(), len(got))
		}
		if differs := !bytes.Equal(got, want); differs != wantChanged[name] {
			t.Errorf("%s: got changed %t, want %t", name, differs, wantChanged[name])
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk demo world: %v", err)
	}
	if files < 100 {
		t.Errorf("walked %d files, want the whole demo world", files)
	}
}

// TestIncidentWorldMakesBucketPublic syncs the demo world, then the
// incident world an hour later, and checks that the bucket is the only
// resource with a new version, public through a statement with Principal
// "*" and without a public access block.
func TestIncidentWorldMakesBucketPublic(t *testing.T) {
	st := openStore(t)
	syncWorld(t, st, demoSyncTime)

	fsys, root, err := IncidentWorld()
	if err != nil {
		t.Fatalf("incident world: %v", err)
	}
	provider, err := syncaws.NewOfflineFS(fsys, root, "demo incident")
	if err != nil {
		t.Fatalf("open incident world: %v", err)
	}
	res, err := sync.Run(context.Background(), st, provider, sync.Options{
		Now:    func() time.Time { return demoSyncTime.Add(IncidentDelay) },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatalf("sync incident world: %v", err)
	}
	if res.Summary.VersionsAdded != 1 {
		t.Errorf("got %d versions added, want 1 (the bucket)", res.Summary.VersionsAdded)
	}
	if res.Summary.VersionsClosed != 1 {
		t.Errorf("got %d versions closed, want 1 (the bucket)", res.Summary.VersionsClosed)
	}
	if n := queryCount(t, st, `SELECT count(*) FROM history.aws_s3_bucket WHERE name = ?`, IncidentBucket); n != 2 {
		t.Errorf("got %d versions of %s, want 2", n, IncidentBucket)
	}

	var public, blockAcls, blockPolicy, ignoreAcls, restrict bool
	var policy string
	err = st.DB().QueryRowContext(context.Background(), `SELECT policy_status_is_public, block_public_acls,
		block_public_policy, ignore_public_acls, restrict_public_buckets, policy::VARCHAR
		FROM aws_s3_bucket WHERE name = ?`, IncidentBucket).Scan(&public, &blockAcls, &blockPolicy, &ignoreAcls, &restrict, &policy)
	if err != nil {
		t.Fatalf("read bucket %s: %v", IncidentBucket, err)
	}
	if !public {
		t.Error("got policy_status_is_public false, want true")
	}
	if blockAcls || blockPolicy || ignoreAcls || restrict {
		t.Errorf("got public access block settings %t %t %t %t, want all false", blockAcls, blockPolicy, ignoreAcls, restrict)
	}

	var document struct {
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(policy), &document); err != nil {
		t.Fatalf("decode policy %s: %v", policy, err)
	}
	if len(document.Statement) != 2 {
		t.Fatalf("got %d statements, want the original one and the public one: %s", len(document.Statement), policy)
	}
	if got := document.Statement[0]["Sid"]; got != "DenyInsecureTransport" {
		t.Errorf("first statement: got Sid %v, want the original DenyInsecureTransport", got)
	}
	added := document.Statement[1]
	if added["Principal"] != "*" || added["Effect"] != "Allow" || added["Action"] != "s3:GetObject" {
		t.Errorf("added statement: got %v, want Allow s3:GetObject to Principal *", added)
	}
}
