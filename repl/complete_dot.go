package repl

import (
	"os"
	"path/filepath"
	"strings"
)

// completeAt returns the fragment before the cursor and its candidates:
// dot-commands and their arguments on a line that starts with ".", SQL
// completion elsewhere.
func (s *session) completeAt(text string, offset int) (string, []Candidate) {
	before := text[:offset]
	if trimmed := strings.TrimLeft(before, " \t"); strings.HasPrefix(trimmed, ".") && !strings.Contains(before, "\n") {
		return completeDot(s.catalogForCompletion(), trimmed)
	}
	return s.catalogForCompletion().completeSQL(text, offset)
}

// completeDot completes a dot-command line up to the cursor.
func completeDot(c *catalog, before string) (string, []Candidate) {
	fields := strings.Fields(before)
	if len(fields) == 1 && !strings.HasSuffix(before, " ") {
		var out []Candidate
		for _, d := range dotCommands {
			out = append(out, Candidate{Value: d.name, Description: d.help, Group: "commands"})
		}
		return fields[0], filterPrefix(out, fields[0])
	}
	prefix := ""
	if !strings.HasSuffix(before, " ") {
		prefix = fields[len(fields)-1]
	}
	var out []Candidate
	switch fields[0] {
	case ".mode":
		for _, m := range Modes {
			out = append(out, Candidate{Value: m, Group: "modes"})
		}
	case ".timer":
		out = []Candidate{{Value: "on", Group: "values"}, {Value: "off", Group: "values"}}
	case ".at":
		out = []Candidate{{Value: "now", Description: "return to the present", Group: "values"}}
	case ".schema":
		for _, t := range c.tables {
			name := t.name
			if t.schema != "main" {
				name = t.schema + "." + t.name
			}
			out = append(out, Candidate{Value: name, Description: t.description, Group: "tables"})
		}
	case ".check":
		out = c.checks
	case ".drift":
		for _, f := range driftFlags {
			out = append(out, Candidate{Value: f[0], Description: f[1], Group: "flags"})
		}
	case ".output", ".once", ".read":
		return prefix, completeFiles(prefix)
	}
	return prefix, filterPrefix(out, prefix)
}

// driftFlags are the flags of 'stance drift' that .drift passes on.
var driftFlags = [][2]string{
	{"--from", "start moment (default: the previous sync)"},
	{"--to", "end moment (default: the latest sync)"},
	{"--baseline", "start at this named baseline"},
	{"--table", "only these tables"},
	{"--account", "only these accounts"},
	{"--region", "only these regions"},
	{"--provider", "only these providers"},
	{"--tag", "only resources with this tag, as key=value"},
	{"--findings", "compare findings of two check runs"},
	{"--format", "table, json, jsonl, csv or markdown"},
}

// completeFiles lists the files and folders that start with prefix.
func completeFiles(prefix string) []Candidate {
	dir, base := filepath.Split(prefix)
	readDir := dir
	if readDir == "" {
		readDir = "."
	}
	entries, err := os.ReadDir(readDir)
	if err != nil {
		return nil
	}
	var out []Candidate
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), base) || (base == "" && strings.HasPrefix(e.Name(), ".")) {
			continue
		}
		v := dir + e.Name()
		if e.IsDir() {
			v += "/"
		}
		out = append(out, Candidate{Value: v, Group: "files"})
	}
	return out
}
