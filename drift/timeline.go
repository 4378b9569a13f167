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

// Timeline returns every version of the resource that resource names,
// oldest first. Resolve finds the resource, so resource may be its _key,
// its ARN, or a unique ID or name such as a bucket name or a security
// group ID.
func Timeline(ctx context.Context, q Querier, resource string) ([]Version, error) {
	match, err := Resolve(ctx, q, resource)
	if err != nil {
		return nil, err
	}
	query := fmt.Sprintf(`SELECT _valid_from, _valid_to FROM %s.%s WHERE _key = ? ORDER BY _valid_from`, store.HistorySchema, match.Table)
	rows, err := q.QueryContext(ctx, query, match.Key)
	if err != nil {
		return nil, fmt.Errorf("read versions of %s in %s: %w", match.Key, match.Table, err)
	}
	var versions []Version
	for rows.Next() {
		v := Version{Table: match.Table, Key: match.Key}
		if err := rows.Scan(&v.ValidFrom, &v.ValidTo); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read versions of %s in %s: %w", match.Key, match.Table, err)
		}
		v.ValidFrom = v.ValidFrom.UTC()
		versions = append(versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read versions of %s in %s: %w", match.Key, match.Table, err)
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("resource %s has no stored version in %s", match.Key, match.Table)
	}
	first := versions[0]

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
