package drift

import (
	"context"
	"fmt"
)

// MacroName is the table macro that Install creates.
const MacroName = "stance_changes"

// Install creates the temporary table macro stance_changes(from_ts, to_ts)
// on one connection: SELECT * FROM stance_changes(TIMESTAMPTZ '...',
// now()) returns the rows of ChangesSQL over every registered table whose
// history the database holds. The macro is temporary, so it also works on
// a database opened read-only, and it must be installed again after a sync
// creates new tables.
func Install(ctx context.Context, q Querier) error {
	tbls, err := selectTables(Filter{})
	if err != nil {
		return err
	}
	columns, err := historyColumns(ctx, q)
	if err != nil {
		return err
	}
	// NOTE: the macro cannot know that from_ts is not after to_ts, so it
	// uses the conditions that hold in both orders, and reads every column
	// of every version (see ChangesSQL).
	body := ChangesSQL(tbls, columns, "from_ts::TIMESTAMPTZ", "to_ts::TIMESTAMPTZ", false)
	stmt := "CREATE OR REPLACE TEMP MACRO " + MacroName + "(from_ts, to_ts) AS TABLE " + body
	if _, err := q.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create macro %s: %w", MacroName, err)
	}
	return nil
}
