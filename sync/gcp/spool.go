package gcp

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/stance-cspm/stance/internal/gcpasset"
)

// Content flags of an assetRef.
const (
	hasResource = 1 << iota // a resource or an Access Context Manager object
	hasIAMPolicy
	hasOrgPolicy
)

// assetRef is an imported asset as the index keeps it in memory: where
// its record is in the spool file, and what the index and the listings
// filter on. The strings are interned, so each costs one copy per value;
// on 64-bit platforms the struct is 104 bytes.
type assetRef struct {
	offset    int64
	size      int32
	content   uint8
	assetType string
	// id, number and container place the asset in a scope, see
	// gcpasset.ProjectRef and gcpasset.Container.
	id, number, container string
	ancestors             []string
}

// spool is a temporary file that holds the records of an import, one per
// line in the export form, so that memory holds only an assetRef per
// asset. Tables read each record back when they list it.
type spool struct {
	file   *os.File
	writer *bufio.Writer
	size   int64
	// removeOnClose is the file's path when it could not be removed while
	// open, as on Windows. On Unix the file is unlinked at once, so it
	// vanishes when it is closed or the process ends.
	removeOnClose string
	strings       map[string]string
	ancestors     map[string][]string
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "stance-gcp-import-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("create the import spool file in %s (set TMPDIR to another folder): %w", os.TempDir(), err)
	}
	s := &spool{file: f, writer: bufio.NewWriterSize(f, 1<<20), strings: map[string]string{}, ancestors: map[string][]string{}}
	if err := os.Remove(f.Name()); err != nil {
		s.removeOnClose = f.Name()
	}
	return s, nil
}

// add writes an asset to the spool and returns its reference.
func (s *spool) add(a *gcpasset.Asset) (assetRef, error) {
	b, err := gcpasset.Marshal(a)
	if err != nil {
		return assetRef{}, fmt.Errorf("spool asset %s: %w", a.Name, err)
	}
	if _, err := s.writer.Write(append(b, '\n')); err != nil {
		return assetRef{}, fmt.Errorf("write the import spool file: %w", err)
	}
	ref := assetRef{offset: s.size, size: int32(len(b)), assetType: s.intern(a.AssetType)}
	s.size += int64(len(b)) + 1
	if a.Resource != nil || a.AccessContextKind != "" {
		ref.content |= hasResource
	}
	if a.IAMPolicy != nil {
		ref.content |= hasIAMPolicy
	}
	if len(a.OrgPolicies) > 0 {
		ref.content |= hasOrgPolicy
	}
	id, number := gcpasset.ProjectRef(a)
	ref.id, ref.number = s.intern(id), s.intern(number)
	if id == "" && number == "" {
		ref.container = s.intern(gcpasset.Container(a))
	}
	ref.ancestors = s.internList(a.Ancestors)
	return ref, nil
}

// finish flushes the writes, after which the spool is read only.
func (s *spool) finish() error {
	if err := s.writer.Flush(); err != nil {
		return fmt.Errorf("write the import spool file: %w", err)
	}
	s.strings, s.ancestors = nil, nil
	return nil
}

// read decodes the record of one reference. It is safe for concurrent use.
func (s *spool) read(ref assetRef) (*gcpasset.Asset, error) {
	buf := make([]byte, ref.size)
	if _, err := s.file.ReadAt(buf, ref.offset); err != nil {
		return nil, fmt.Errorf("read the import spool file at byte %d: %w", ref.offset, err)
	}
	return gcpasset.Unmarshal(buf)
}

func (s *spool) close() error {
	err := s.file.Close()
	if s.removeOnClose != "" {
		if rerr := os.Remove(s.removeOnClose); rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}

func (s *spool) intern(v string) string {
	if v == "" {
		return ""
	}
	if interned, ok := s.strings[v]; ok {
		return interned
	}
	s.strings[v] = v
	return v
}

func (s *spool) internList(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	key := strings.Join(list, "\x00")
	if interned, ok := s.ancestors[key]; ok {
		return interned
	}
	s.ancestors[key] = list
	return list
}
