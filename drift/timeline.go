package drift

import (
	"context"
	"fmt"
	"time"

	"github.com/stance-cspm/stance/internal/store"
)

// Version is one version of a resource with its validity interval and the
// fields that changed from the version before it.
type Version struct {
	Table     string
	Key       string
	ValidFrom time.Time
	// ValidTo is nil while the version is current.
	ValidTo *time.Time
	// Fields is empty for the first version.
	Fields []Field
}

// Timeline returns every version of the resource whose _key or key column
// (an ARN, an ID) equals resource, oldest first. It returns an error when
// no table holds such a resource, or when several resources match.
func Timeline(ctx context.Context, q Querier, resource string) ([]Version, error) {
	tbls, err := selectTables(Filter{})
	if err != nil {
		return nil, err
	}
	columns, err := historyColumns(ctx, q)
	if err != nil {
		return nil, err
	}
	var versions []Version
	for _, t := range tbls {
		if len(columns[t.Name]) == 0 {
			continue
		}
		query := fmt.Sprintf(`SELECT _key, _valid_from, _valid_to FROM %s.%s WHERE _key = ? OR %s::VARCHAR = ? ORDER BY _key, _valid_from`,
			store.HistorySchema, t.Name, t.Key)
		rows, err := q.QueryContext(ctx, query, resource, resource)
		if err != nil {
			return nil, fmt.Errorf("read versions of %s in %s: %w", resource, t.Name, err)
		}
		for rows.Next() {
			v := Version{Table: t.Name}
			if err := rows.Scan(&v.Key, &v.ValidFrom, &v.ValidTo); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read versions of %s in %s: %w", resource, t.Name, err)
			}
			v.ValidFrom = v.ValidFrom.UTC()
			versions = append(versions, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read versions of %s in %s: %w", resource, t.Name, err)
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("resource %q not found in any table: give its ARN, ID or _key", resource)
	}
	first := versions[0]
	for _, v := range versions[1:] {
		if v.Table != first.Table || v.Key != first.Key {
			return nil, fmt.Errorf("resource %q is ambiguous: it matches %s in %s and %s in %s, so give the _key", resource, first.Key, first.Table, v.Key, v.Table)
		}
	}

	for i := 1; i < len(versions); i++ {
		changes, err := Changes(ctx, q, versions[i-1].ValidFrom, versions[i].ValidFrom, Filter{Tables: []string{first.Table}, Keys: []string{first.Key}})
		if err != nil {
			return nil, err
		}
		for _, c := range changes {
			versions[i].Fields = append(versions[i].Fields, c.Fields...)
		}
	}
	return versions, nil
}
