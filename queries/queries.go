// Package queries holds stance's named queries: SQL files embedded in the
// binary that answer common questions about an estate ("which buckets are
// public", "who has root access keys"). `stance query --named NAME` runs
// one, `stance queries` lists them.
//
// Each file starts with comment lines that describe it:
//
//	-- title: Buckets that anyone on the internet can read
//	-- description: One or two sentences on what the rows mean.
package queries

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed aws/*.sql
var files embed.FS

// Query is one named query.
type Query struct {
	// Name is the file name without .sql, such as "aws_s3_public_buckets".
	Name        string
	Title       string
	Description string
	SQL         string
}

// All returns every named query, sorted by name.
func All() ([]Query, error) {
	var out []Query
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".sql" {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		q, err := parse(strings.TrimSuffix(path.Base(p), ".sql"), string(b))
		if err != nil {
			return fmt.Errorf("named query %s: %w", p, err)
		}
		out = append(out, q)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Lookup returns the named query.
func Lookup(name string) (Query, error) {
	all, err := All()
	if err != nil {
		return Query{}, err
	}
	for _, q := range all {
		if q.Name == name {
			return q, nil
		}
	}
	return Query{}, fmt.Errorf("no named query %q: run 'stance queries' for the list", name)
}

func parse(name, text string) (Query, error) {
	q := Query{Name: name, SQL: strings.TrimSpace(text)}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "--") {
			break
		}
		key, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "--")), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "title":
			q.Title = strings.TrimSpace(value)
		case "description":
			q.Description = strings.TrimSpace(value)
		}
	}
	if q.Title == "" {
		return q, fmt.Errorf("missing '-- title:' line at the top")
	}
	return q, nil
}
