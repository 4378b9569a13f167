package demo

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if syncedDemo.store != nil {
		syncedDemo.store.Close()
	}
	os.Exit(code)
}

// TestSyncBlindSpots checks that the only partitions a demo sync cannot
// read are those of the region where every call returns AccessDenied: one
// per regional table, and no NotCollected one anywhere.
func TestSyncBlindSpots(t *testing.T) {
	_, res, _ := sharedSync(t)

	if res.Summary.Status != store.RunPartial {
		t.Errorf("got run status %q, want %q", res.Summary.Status, store.RunPartial)
	}

	wantDenied := map[string]bool{}
	for _, table := range tables.ByProvider(awstables.Provider) {
		if !table.Global {
			wantDenied[table.Name] = true
		}
	}
	for _, p := range res.Partitions {
		switch {
		case p.Status == store.StatusOK:
		case p.AccountID == DevAccountID && p.Region == DeniedRegion && p.ErrorCode == "AccessDenied" && p.Status == store.StatusBlindSpot:
			delete(wantDenied, p.Table)
		default:
			t.Errorf("%s %s/%s: got status %s (%s: %s), want ok", p.Table, p.AccountID, p.Region, p.Status, p.ErrorCode, p.Error)
		}
	}
	for table := range wantDenied {
		t.Errorf("%s %s/%s: got no AccessDenied blind spot, want one", table, DevAccountID, DeniedRegion)
	}
	if got, want := res.Summary.PartitionsBlindSpot, int64(countRegional()); got != want {
		t.Errorf("got %d blind spots, want %d (one per regional table)", got, want)
	}
	if res.Summary.PartitionsFailed != 0 {
		t.Errorf("got %d failed partitions, want 0", res.Summary.PartitionsFailed)
	}
}

// countRegional returns the number of registered AWS tables that are not
// global.
func countRegional() int {
	n := 0
	for _, table := range tables.ByProvider(awstables.Provider) {
		if !table.Global {
			n++
		}
	}
	return n
}

// TestSyncFillsEveryTable checks that every table gets rows from the demo,
// so that `stance demo` has something to show for each.
func TestSyncFillsEveryTable(t *testing.T) {
	st, _, _ := sharedSync(t)
	for _, table := range tables.ByProvider(awstables.Provider) {
		if n := queryCount(t, st, "SELECT count(*) FROM "+table.Name); n == 0 {
			t.Errorf("%s: got no rows, want at least one", table.Name)
		}
	}
}

// TestSecretRedacted searches every text, JSON, list and map column of
// every table, history and engine tables included, for the value of the
// Lambda environment variable DB_PASSWORD.
func TestSecretRedacted(t *testing.T) {
	st, _, _ := sharedSync(t)
	const secret = "hunter2"

	rows, err := st.DB().QueryContext(context.Background(), `
		SELECT table_schema, table_name, column_name
		FROM information_schema.columns
		WHERE table_schema IN ('main', 'history')
		  AND (data_type IN ('VARCHAR', 'JSON', 'VARCHAR[]') OR data_type LIKE 'MAP(%')
		ORDER BY ALL`)
	if err != nil {
		t.Fatalf("list columns: %v", err)
	}
	type column struct{ schema, table, name string }
	var columns []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.schema, &c.table, &c.name); err != nil {
			t.Fatalf("list columns: %v", err)
		}
		columns = append(columns, c)
	}
	rows.Close()
	if len(columns) == 0 {
		t.Fatal("got no text columns to search")
	}

	var searchedRaw bool
	for _, c := range columns {
		if c.schema == "history" && c.table == "aws_lambda_function" && c.name == "raw" {
			searchedRaw = true
		}
		query := fmt.Sprintf(`SELECT count(*) FROM "%s"."%s" WHERE CAST("%s" AS VARCHAR) LIKE '%%%s%%'`, c.schema, c.table, c.name, secret)
		if n := queryCount(t, st, query); n > 0 {
			t.Errorf("%s.%s.%s: got %d rows holding %q, want none", c.schema, c.table, c.name, n, secret)
		}
	}
	if !searchedRaw {
		t.Error("history.aws_lambda_function.raw was not searched; the column list query is wrong")
	}

	// The variable itself is kept, so the redaction is visible.
	keys := queryCount(t, st, `SELECT count(*) FROM aws_lambda_function WHERE list_contains(environment_variable_keys, 'DB_PASSWORD')`)
	if keys != 1 {
		t.Errorf("got %d functions listing DB_PASSWORD, want 1", keys)
	}
	redacted := queryCount(t, st, `SELECT count(*) FROM aws_lambda_function WHERE json_extract_string(raw, '$.Environment.Variables.DB_PASSWORD') = 'REDACTED'`)
	if redacted != 1 {
		t.Errorf("got %d functions with DB_PASSWORD redacted in raw, want 1", redacted)
	}
}

// TestSecondSyncAddsNoVersions checks that syncing the unchanged world
// again records no change: every row hashes the same on both runs.
func TestSecondSyncAddsNoVersions(t *testing.T) {
	st := openStore(t)
	first, _ := syncWorld(t, st, demoSyncTime)
	if first.Summary.VersionsAdded == 0 {
		t.Fatal("first sync: got 0 versions added, want the whole world")
	}

	second, _ := syncWorld(t, st, demoSyncTime.Add(time.Hour))
	if second.Summary.VersionsAdded != 0 {
		t.Errorf("second sync: got %d versions added, want 0", second.Summary.VersionsAdded)
	}
	if second.Summary.VersionsClosed != 0 {
		t.Errorf("second sync: got %d versions closed, want 0", second.Summary.VersionsClosed)
	}
	if second.Summary.RowsFetched != first.Summary.RowsFetched {
		t.Errorf("second sync: got %d rows fetched, want %d as in the first", second.Summary.RowsFetched, first.Summary.RowsFetched)
	}
}

// TestPlantedFindingsVisible runs the query of each planted finding and
// expects exactly one row: the planted resource's account and region.
func TestPlantedFindingsVisible(t *testing.T) {
	st, _, _ := sharedSync(t)
	planted := Planted()
	if len(planted) == 0 {
		t.Fatal("got no planted findings")
	}

	for _, f := range planted {
		t.Run(f.Table+"/"+f.Resource, func(t *testing.T) {
			if _, ok := tables.Lookup(f.Table); !ok {
				t.Errorf("finding names table %s, which is not registered", f.Table)
			}
			if !strings.Contains(f.Query, "FROM "+f.Table) {
				t.Errorf("query does not read the finding's table %s: %s", f.Table, f.Query)
			}
			if f.Problem == "" {
				t.Error("finding has no problem text")
			}

			rows, err := st.DB().QueryContext(context.Background(), "SELECT account_id, region FROM ("+f.Query+")")
			if err != nil {
				t.Fatalf("query %s: %v", f.Query, err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var account, region string
				if err := rows.Scan(&account, &region); err != nil {
					t.Fatalf("read row of %s: %v", f.Query, err)
				}
				got = append(got, account+"/"+region)
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("query %s: %v", f.Query, err)
			}
			want := f.Account + "/" + f.Region
			if len(got) != 1 || got[0] != want {
				t.Errorf("got rows %v, want exactly [%s]: %s", got, want, f.Query)
			}
		})
	}
}
