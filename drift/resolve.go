package drift

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// Match is one stored resource that a name given on the command line
// matches.
type Match struct {
	Table     string
	Key       string
	AccountID string
	Region    string
}

// maxMatches is the number of matches that Resolve lists when a name is
// ambiguous. A bare name that matches more is better narrowed by a key.
// It is a variable so that a test can lower it.
var maxMatches = 20

// AmbiguousError is returned by Resolve when a name matches several
// resources. Its message lists them, so that the user can pick one.
type AmbiguousError struct {
	Name    string
	Matches []Match
	// More is true when more resources match than Matches lists.
	More bool
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource %q matches %d resources, so give the _key of one of them:", render.Sanitize(e.Name), len(e.Matches))
	if e.More {
		b.Reset()
		fmt.Fprintf(&b, "resource %q matches more than %d resources, so give the _key of one of them:", render.Sanitize(e.Name), len(e.Matches))
	}
	for _, m := range e.Matches {
		fmt.Fprintf(&b, "\n  %s  %s (%s)", render.Sanitize(m.Key), m.Table, render.Sanitize(m.Region))
	}
	return b.String()
}

// Resolve finds the one resource that name identifies, in every version
// stored, removed resources included. It tries, in order:
//
//  1. an exact _key, or an exact value of the table's key column (an ARN);
//  2. the last segment of the key column, after its last "/" or ":",
//     such as the bucket name of an S3 ARN or the ID at the end of an EC2
//     ARN. A name or ID column of the resource itself matches too (see
//     identityColumns).
//
// The first step that matches decides: one match is returned, several
// give an *AmbiguousError that lists them. When no step matches, the
// error lists the accepted forms.
func Resolve(ctx context.Context, q Querier, name string) (Match, error) {
	if strings.TrimSpace(name) == "" {
		return Match{}, fmt.Errorf("missing resource: give its ARN, ID, name or _key")
	}
	tbls, err := selectTables(Filter{})
	if err != nil {
		return Match{}, err
	}
	columns, err := historyColumns(ctx, q)
	if err != nil {
		return Match{}, err
	}

	exact := func(t *tables.Table, _ map[string]bool) []string {
		return []string{store.ColKey + " = $1", t.Key + "::VARCHAR = $1"}
	}
	loose := func(t *tables.Table, present map[string]bool) []string {
		conditions := []string{`regexp_extract(` + t.Key + `::VARCHAR, '[^/:]*$') = $1`}
		for _, c := range identityColumns(t, present) {
			conditions = append(conditions, c+" = $1")
		}
		return conditions
	}
	for _, step := range []func(*tables.Table, map[string]bool) []string{exact, loose} {
		matches, more, err := findMatches(ctx, q, tbls, columns, name, step)
		if err != nil {
			return Match{}, err
		}
		switch {
		case len(matches) == 1:
			return matches[0], nil
		case len(matches) > 1:
			return Match{}, &AmbiguousError{Name: name, Matches: matches, More: more}
		}
	}
	return Match{}, fmt.Errorf("resource %q not found in any table: give its ARN, its ID or name (such as a bucket name or sg-0123456789abcdef0), or its _key", render.Sanitize(name))
}

// findMatches returns the distinct resources of every table that one of
// the conditions of the step matches, sorted by table and key. It returns
// at most maxMatches of them, and more is true when there were more.
func findMatches(ctx context.Context, q Querier, tbls []*tables.Table, columns map[string]map[string]bool,
	name string, step func(*tables.Table, map[string]bool) []string) (matches []Match, more bool, err error) {
	for _, t := range tbls {
		present := columns[t.Name]
		if len(present) == 0 || !present[t.Key] {
			continue
		}
		query := fmt.Sprintf(`SELECT DISTINCT %s, %s::VARCHAR, %s::VARCHAR FROM %s.%s WHERE %s ORDER BY 1 LIMIT %d`,
			store.ColKey, tables.ColAccountID, tables.ColRegion, store.HistorySchema, t.Name,
			strings.Join(step(t, present), " OR "), maxMatches+1)
		rows, err := q.QueryContext(ctx, query, name)
		if err != nil {
			return nil, false, fmt.Errorf("look up %q in %s: %w", name, t.Name, err)
		}
		for rows.Next() {
			m := Match{Table: t.Name}
			if err := rows.Scan(&m.Key, &m.AccountID, &m.Region); err != nil {
				rows.Close()
				return nil, false, fmt.Errorf("look up %q in %s: %w", name, t.Name, err)
			}
			matches = append(matches, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, fmt.Errorf("look up %q in %s: %w", name, t.Name, err)
		}
	}
	sort.Slice(matches, func(i, j int) bool {
		if matches[i].Table != matches[j].Table {
			return matches[i].Table < matches[j].Table
		}
		return matches[i].Key < matches[j].Key
	})
	if len(matches) > maxMatches {
		return matches[:maxMatches], true, nil
	}
	return matches, false, nil
}

// identityColumns returns the text columns of t that name or identify the
// resource itself: "name", and "<resource>_id" and "<resource>_name",
// where resource is the part of the table name after the provider and the
// service, or its last word. For aws_vpc_security_group these are
// group_id and group_name, for aws_ec2_instance instance_id. Columns that
// refer to another resource, such as the vpc_id of a subnet, are not
// among them.
func identityColumns(t *tables.Table, present map[string]bool) []string {
	resource := strings.TrimPrefix(t.Name, t.Provider+"_")
	if _, rest, ok := strings.Cut(resource, "_"); ok {
		resource = rest
	}
	candidates := []string{"name", resource + "_id", resource + "_name"}
	if i := strings.LastIndex(resource, "_"); i >= 0 {
		last := resource[i+1:]
		candidates = append(candidates, last+"_id", last+"_name")
	}
	types := map[string]string{}
	for _, c := range t.Schema().Columns {
		types[c.Name] = c.Type
	}
	var out []string
	for _, c := range candidates {
		if c != t.Key && present[c] && types[c] == store.TypeText {
			out = append(out, c)
		}
	}
	return out
}
