package awsfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"syscall"
)

// call is one SDK operation invocation, as passed to the responder.
type call struct {
	serviceID string // SDK service ID, such as "S3"
	operation string // API operation name, such as "GetBucketPolicy"
	region    string // region of the client
	input     any    // the operation's input, such as *s3.GetBucketPolicyInput
}

// respond returns the output of c read from acct's files, a declared error,
// or an error wrapping ErrNotCollected when the file is absent.
func (s *Source) respond(acct *account, c call) (any, error) {
	svc, ok := services[c.serviceID]
	if !ok {
		return nil, fmt.Errorf("offline AWS config: SDK service %q has no offline support; add it to the services table in internal/awsfile", c.serviceID)
	}
	outType, ok := svc.outputType(c.operation)
	if !ok {
		return nil, fmt.Errorf("offline AWS config: %s has no operation %q", svc.cliName, c.operation)
	}

	if !validRegion(c.region) {
		return nil, fmt.Errorf("offline AWS config: invalid region %q for %s %s; use a region name such as us-east-1, or \"global\"", c.region, svc.cliName, c.operation)
	}
	folder := c.region
	if svc.global {
		folder = acct.globalRegion
	}
	values := resourceValues(svc.cliName, c.operation, c.input)

	if rule, ok := acct.fault(folder, svc.cliName, c.operation, strings.Join(values, "/")); ok {
		return nil, rule.apiError()
	}

	candidates := s.candidates(acct, svc, folder, c.operation, values)
	data, file, err := s.readFirst(candidates)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotCollectedError{Service: svc.cliName, Operation: c.operation, Path: s.display(candidates[0])}
	}
	if err != nil {
		return nil, err
	}

	out := reflect.New(outType)
	// An empty file is an empty response.
	if len(bytes.TrimSpace(data)) > 0 {
		if err := Unmarshal(data, out.Interface()); err != nil {
			return nil, fmt.Errorf("decode %s: %w", s.display(file), err)
		}
	}
	clearNextPage(out)
	return out.Interface(), nil
}

// fault returns the error declared for a call in the _errors.json file of
// folder, else in that of the account folder.
func (a *account) fault(folder, cliService, op, resource string) (faultRule, bool) {
	for _, f := range []string{folder, ""} {
		if rule, ok := a.faults[f].match(cliService, op, resource); ok {
			return rule, true
		}
	}
	return faultRule{}, false
}

// candidates returns the paths inside the fs.FS that may hold the response,
// most likely first. The first is the one named when none exists.
func (s *Source) candidates(acct *account, svc service, folder, op string, values []string) []string {
	var paths []string
	if svc.cliName == "ec2" && op == "DescribeRegions" {
		// CloudMapper writes the region list once, at the account root.
		paths = append(paths, path.Join(acct.fsDir, regionsFile))
	}

	prefixes := append([]string{svc.cliName}, svc.aliases...)
	for _, prefix := range prefixes {
		base := path.Join(acct.fsDir, folder, prefix+"-"+kebabName(op))
		if len(values) == 0 {
			paths = append(paths, base+".json", base)
			continue
		}

		// Resource values are escaped so that they cannot add or climb
		// folders: "/" becomes %2F, and "." or ".." are rejected later by
		// fs.ValidPath.
		segments := make([]string, len(values))
		for i, v := range values {
			segments[i] = escapeSegment(v)
		}
		file := base + "/" + strings.Join(segments, "/")
		paths = append(paths, file, file+".json")
	}
	return paths
}

// readFirst reads the first candidate that is a regular file. It returns an
// error wrapping fs.ErrNotExist when none is.
func (s *Source) readFirst(candidates []string) (data []byte, file string, err error) {
	for _, file := range candidates {
		if !fs.ValidPath(file) {
			continue
		}
		info, err := fs.Stat(s.fsys, file)
		// ENOTDIR means a file is where the path needs a folder.
		missing := errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
		if missing || (err == nil && info.IsDir()) {
			continue
		}
		if err != nil {
			return nil, file, fmt.Errorf("read %s: %w", s.display(file), err)
		}
		data, err := fs.ReadFile(s.fsys, file)
		if err != nil {
			return nil, file, fmt.Errorf("read %s: %w", s.display(file), err)
		}
		return data, file, nil
	}
	return nil, "", fs.ErrNotExist
}
