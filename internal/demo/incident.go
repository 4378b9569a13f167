package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"time"
)

// IncidentBucket is the prod bucket that the demo incident makes public.
// In the world as collected, its policy only denies plain HTTP and its
// public access block has all four settings on.
const IncidentBucket = "acme-prod-app-assets"

// IncidentDelay is the time between the demo's first sync and the sync
// that reads the changed world.
const IncidentDelay = time.Hour

// incidentStatement is the statement that the deployment pipeline appends
// to the bucket policy: anyone may read every object.
var incidentStatement = map[string]any{
	"Sid":       "PublicReadForCDN",
	"Effect":    "Allow",
	"Principal": "*",
	"Action":    "s3:GetObject",
	"Resource":  "arn:aws:s3:::" + IncidentBucket + "/*",
}

// IncidentWorld returns the demo world after the classic incident: a
// deployment pipeline switches off the public access block of
// IncidentBucket in prod and then appends a statement to its bucket policy
// that lets anyone (Principal "*") call s3:GetObject. S3 then reports the
// bucket's policy status as public. Every other file is served unchanged
// from World.
func IncidentWorld() (fs.FS, string, error) {
	base, root := World()
	dir := path.Join(root, "prod", "us-east-1")
	edits := map[string]func([]byte) ([]byte, error){
		path.Join(dir, "s3-get-bucket-policy", IncidentBucket):        appendPublicStatement,
		path.Join(dir, "s3-get-public-access-block", IncidentBucket):  disablePublicAccessBlock,
		path.Join(dir, "s3-get-bucket-policy-status", IncidentBucket): markPolicyPublic,
	}
	files := map[string][]byte{}
	for name, edit := range edits {
		data, err := fs.ReadFile(base, name)
		if err != nil {
			return nil, "", fmt.Errorf("read %s of the demo world: %w", name, err)
		}
		if files[name], err = edit(data); err != nil {
			return nil, "", fmt.Errorf("change %s of the demo world: %w", name, err)
		}
	}
	return overlayFS{base: base, files: files}, root, nil
}

// appendPublicStatement edits a GetBucketPolicy response, whose Policy
// field is the policy document as a JSON string.
func appendPublicStatement(data []byte) ([]byte, error) {
	var response struct{ Policy string }
	if err := json.Unmarshal(data, &response); err != nil {
		return nil, err
	}
	var policy map[string]any
	if err := json.Unmarshal([]byte(response.Policy), &policy); err != nil {
		return nil, fmt.Errorf("decode the policy document: %w", err)
	}
	statements, ok := policy["Statement"].([]any)
	if !ok {
		return nil, fmt.Errorf("policy has no Statement list")
	}
	policy["Statement"] = append(statements, incidentStatement)
	document, err := json.Marshal(policy)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(map[string]string{"Policy": string(document)}, "", "  ")
}

// disablePublicAccessBlock sets the four settings of a
// GetPublicAccessBlock response to false.
func disablePublicAccessBlock(data []byte) ([]byte, error) {
	var response struct {
		PublicAccessBlockConfiguration map[string]bool
	}
	if err := json.Unmarshal(data, &response); err != nil {
		return nil, err
	}
	if len(response.PublicAccessBlockConfiguration) == 0 {
		return nil, fmt.Errorf("missing PublicAccessBlockConfiguration")
	}
	for setting := range response.PublicAccessBlockConfiguration {
		response.PublicAccessBlockConfiguration[setting] = false
	}
	return json.MarshalIndent(response, "", "  ")
}

// markPolicyPublic sets IsPublic of a GetBucketPolicyStatus response.
func markPolicyPublic(data []byte) ([]byte, error) {
	var response struct {
		PolicyStatus struct{ IsPublic bool }
	}
	if err := json.Unmarshal(data, &response); err != nil {
		return nil, err
	}
	response.PolicyStatus.IsPublic = true
	return json.MarshalIndent(response, "", "  ")
}

// overlayFS serves the files of files in place of those of base. It only
// replaces files that exist in base, so the directory listings of base stay
// correct.
type overlayFS struct {
	base  fs.FS
	files map[string][]byte
}

// Open opens the replaced file when there is one, else the file of base.
func (o overlayFS) Open(name string) (fs.File, error) {
	data, ok := o.files[name]
	if !ok {
		return o.base.Open(name)
	}
	info, err := fs.Stat(o.base, name)
	if err != nil {
		return nil, err
	}
	return &memFile{Reader: bytes.NewReader(data), info: sizedInfo{FileInfo: info, size: int64(len(data))}}, nil
}

// memFile is an open replaced file.
type memFile struct {
	*bytes.Reader
	info fs.FileInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

// sizedInfo is the FileInfo of a file of base with the size of its
// replacement.
type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (i sizedInfo) Size() int64 { return i.size }
