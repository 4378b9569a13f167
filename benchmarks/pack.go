// Package benchmarks holds stance's security benchmarks as versioned SQL
// packs, and runs them.
//
// A control is one check, written once: controls/<provider>/<id>.yaml holds
// its metadata (title, severity, remediation, MITRE ATT&CK techniques) and
// <id>.sql its query. A benchmark version is a manifest,
// <benchmark>/<version>/benchmark.yaml, that maps the benchmark's own
// requirement ids and short titles to controls. The same control serves
// every benchmark that requires the same thing. User packs in other folders
// have the same layout and are loaded the same way.
package benchmarks

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/stance-cspm/stance/tables"
)

// Severities from worst to least.
var Severities = []string{"critical", "high", "medium", "low", "info"}

// SeverityRank returns 0 for critical up to 4 for info, and -1 for an
// unknown severity.
func SeverityRank(s string) int {
	for i, v := range Severities {
		if v == s {
			return i
		}
	}
	return -1
}

// Control is one check.
type Control struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Severity    string `yaml:"severity"`
	Description string `yaml:"description"`
	Rationale   string `yaml:"rationale"`
	Remediation string `yaml:"remediation"`
	// RemediationCommand is a text/template over the columns of a result
	// row, such as "aws s3api put-public-access-block --bucket {{.name}} ...".
	RemediationCommand string   `yaml:"remediation_command"`
	References         []string `yaml:"references"`
	MitreAttack        []string `yaml:"mitre_attack"`
	// Tables are the tables the query reads. A partition of one of them
	// that the last sync could not read makes the control report that
	// account and region as not evaluated, never as passing.
	Tables []string `yaml:"tables"`
	// HandlesBlindSpots marks a query that reads stance_coverage itself
	// and returns skip where its data is missing. Without
	// it, a pass or fail in an account and region where one of Tables was
	// not readable becomes skip.
	HandlesBlindSpots bool `yaml:"handles_blind_spots"`

	// SQL is the query, read from the .sql file beside the metadata.
	SQL string `yaml:"-"`
	// SQLHash is the SHA-256 of SQL, recorded with every result.
	SQLHash string `yaml:"-"`
	// Source is the metadata file, for messages.
	Source string `yaml:"-"`
}

// Requirement is one numbered requirement of a benchmark version.
type Requirement struct {
	ID         string   `yaml:"id"`
	Title      string   `yaml:"title"`
	Section    string   `yaml:"section"`
	Profile    string   `yaml:"profile"`
	Assessment string   `yaml:"assessment"`
	Controls   []string `yaml:"controls"`
}

// Benchmark is one version of a benchmark.
type Benchmark struct {
	Name         string        `yaml:"benchmark"`
	Version      string        `yaml:"version"`
	Revision     int           `yaml:"revision"`
	Title        string        `yaml:"title"`
	Provider     string        `yaml:"provider"`
	Sources      []string      `yaml:"sources"`
	Requirements []Requirement `yaml:"requirements"`
	Source       string        `yaml:"-"`
}

// Ref returns "name@version".
func (b *Benchmark) Ref() string { return b.Name + "@" + b.Version }

// Pack is every control and benchmark loaded from one or more folders.
type Pack struct {
	Controls   map[string]*Control
	Benchmarks []*Benchmark
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Load reads the packs in each file system, in order. A control or
// benchmark version defined twice is an error, so a user pack cannot
// silently replace a built-in control: give it another id.
func Load(sources ...fs.FS) (*Pack, error) {
	p := &Pack{Controls: map[string]*Control{}}
	for _, fsys := range sources {
		if err := p.load(fsys); err != nil {
			return nil, err
		}
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	sort.Slice(p.Benchmarks, func(i, j int) bool {
		a, b := p.Benchmarks[i], p.Benchmarks[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return compareVersions(a.Version, b.Version) < 0
	})
	return p, nil
}

func (p *Pack) load(fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch {
		case path.Base(name) == "benchmark.yaml":
			return p.loadBenchmark(fsys, name)
		case strings.HasPrefix(name, "controls/") && path.Ext(name) == ".yaml":
			return p.loadControl(fsys, name)
		}
		return nil
	})
}

func (p *Pack) loadControl(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read control %s: %w", name, err)
	}
	c := &Control{Source: sourceName(fsys, name)}
	if err := yaml.UnmarshalWithOptions(data, c, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("%s: %s", c.Source, yaml.FormatError(err, false, false))
	}
	stem := strings.TrimSuffix(path.Base(name), ".yaml")
	if c.ID != stem {
		return fmt.Errorf("%s:%d: control id %q must match the file name %q", c.Source, lineOf(data, "id:"), c.ID, stem)
	}
	if !idPattern.MatchString(c.ID) {
		return fmt.Errorf("%s:%d: invalid control id %q: use lowercase letters, digits and underscores", c.Source, lineOf(data, "id:"), c.ID)
	}
	if SeverityRank(c.Severity) < 0 {
		return fmt.Errorf("%s:%d: invalid severity %q: use one of %s", c.Source, lineOf(data, "severity:"), c.Severity, strings.Join(Severities, ", "))
	}
	if c.Title == "" || c.Description == "" || c.Remediation == "" {
		return fmt.Errorf("%s: control %s needs title, description and remediation", c.Source, c.ID)
	}
	if len(c.Tables) == 0 {
		return fmt.Errorf("%s: control %s needs 'tables', the tables its query reads", c.Source, c.ID)
	}
	for _, t := range c.Tables {
		if _, ok := tables.Lookup(t); !ok {
			return fmt.Errorf("%s:%d: control %s reads table %q, which stance does not define: see 'stance tables'", c.Source, lineOf(data, "tables:"), c.ID, t)
		}
	}
	sqlName := strings.TrimSuffix(name, ".yaml") + ".sql"
	sqlText, err := fs.ReadFile(fsys, sqlName)
	if err != nil {
		return fmt.Errorf("%s: control %s has no query file: %w", c.Source, c.ID, err)
	}
	c.SQL = strings.TrimSpace(string(sqlText))
	if c.SQL == "" {
		return fmt.Errorf("%s: query file is empty", sourceName(fsys, sqlName))
	}
	sum := sha256.Sum256([]byte(c.SQL))
	c.SQLHash = hex.EncodeToString(sum[:])
	if prev, dup := p.Controls[c.ID]; dup {
		return fmt.Errorf("%s: control %s is already defined in %s: give it another id", c.Source, c.ID, prev.Source)
	}
	p.Controls[c.ID] = c
	return nil
}

func (p *Pack) loadBenchmark(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read benchmark %s: %w", name, err)
	}
	b := &Benchmark{Source: sourceName(fsys, name)}
	if err := yaml.UnmarshalWithOptions(data, b, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("%s: %s", b.Source, yaml.FormatError(err, false, false))
	}
	if !idPattern.MatchString(b.Name) || b.Version == "" {
		return fmt.Errorf("%s: a benchmark needs a name in lowercase snake_case and a version", b.Source)
	}
	if b.Revision < 1 {
		return fmt.Errorf("%s:%d: revision must be 1 or more", b.Source, lineOf(data, "revision:"))
	}
	seen := map[string]bool{}
	for _, r := range b.Requirements {
		line := lineOf(data, `"`+r.ID+`"`)
		if r.ID == "" || r.Title == "" {
			return fmt.Errorf("%s:%d: every requirement needs an id and a title", b.Source, line)
		}
		if seen[r.ID] {
			return fmt.Errorf("%s:%d: requirement %s is listed twice", b.Source, line, r.ID)
		}
		seen[r.ID] = true
		switch r.Assessment {
		case "automated":
			if len(r.Controls) == 0 {
				return fmt.Errorf("%s:%d: automated requirement %s lists no control", b.Source, line, r.ID)
			}
		case "manual":
		default:
			return fmt.Errorf("%s:%d: requirement %s: invalid assessment %q: use automated or manual", b.Source, line, r.ID, r.Assessment)
		}
	}
	for _, prev := range p.Benchmarks {
		if prev.Ref() == b.Ref() {
			return fmt.Errorf("%s: benchmark %s is already defined in %s", b.Source, b.Ref(), prev.Source)
		}
	}
	p.Benchmarks = append(p.Benchmarks, b)
	return nil
}

// validate checks that every control a manifest names exists.
func (p *Pack) validate() error {
	for _, b := range p.Benchmarks {
		for _, r := range b.Requirements {
			for _, id := range r.Controls {
				if _, ok := p.Controls[id]; !ok {
					return fmt.Errorf("%s: requirement %s names control %q, which no pack defines", b.Source, r.ID, id)
				}
			}
		}
	}
	return nil
}

// Benchmark returns the benchmark named "name" or "name@version"; without a
// version, the latest.
func (p *Pack) Benchmark(ref string) (*Benchmark, error) {
	name, version, _ := strings.Cut(ref, "@")
	var found *Benchmark
	var versions []string
	for _, b := range p.Benchmarks {
		if b.Name != name {
			continue
		}
		versions = append(versions, b.Version)
		if version == "" || b.Version == version {
			found = b
		}
	}
	switch {
	case found != nil:
		return found, nil
	case len(versions) > 0:
		return nil, fmt.Errorf("benchmark %s has no version %q: available %s", name, version, strings.Join(versions, ", "))
	}
	return nil, fmt.Errorf("no benchmark or control named %q: run 'stance check --list'", ref)
}

// sourceName names a file for messages: its path within the pack, or the
// pack folder and path for a folder on disk.
func sourceName(fsys fs.FS, name string) string {
	if d, ok := fsys.(interface{ Root() string }); ok {
		return path.Join(d.Root(), name)
	}
	return name
}

// lineOf returns the 1-based line of the first occurrence of needle in
// data, or 1.
func lineOf(data []byte, needle string) int {
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// compareVersions compares dotted versions numerically ("6.0.0" > "3.0.0").
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			fmt.Sscan(as[i], &x)
		}
		if i < len(bs) {
			fmt.Sscan(bs[i], &y)
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
