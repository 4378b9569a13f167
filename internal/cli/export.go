package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/export"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/timeparse"
)

func newExportCmd(g *globals) *cobra.Command {
	var out, tablesFlag, at string
	var history, sinceLast bool
	cmd := &cobra.Command{
		Use:   "export --out DIR",
		Short: "Write the database as Parquet files for BI tools and other engines",
		Long: `Write resource tables, sync runs, check results and findings as Parquet
files (ZSTD) into DIR: one folder per table, Hive-style partitions, and a
manifest.json with row counts, columns, descriptions and the sync runs the
rows came from.

By default the export is a snapshot of the present; --at exports the
estate at a past moment. Resource tables are partitioned by provider and
snapshot_date, and an export of the same day replaces that day's
partition, so daily exports into one folder build a series of snapshots.

--history writes every version of every resource, partitioned by provider
and sync_date, with _valid_from and _valid_to. --since-last writes only
the versions that are new since the previous history export into DIR,
for scheduled jobs. Versions that an earlier export wrote while they were
current and that have closed since are listed in stance_version_closing
(table_name, _key, _valid_from, _valid_to); see the README for the query
that joins them.

The database is opened read-only while the files are written. A history
export then opens it for writing once, to record in stance_export what it
covered; a snapshot export never writes to the database.`,
		Example: `  stance export --out ./lake
  stance export --out ./lake --tables 'aws_s3_*,stance_finding'
  stance export --out ./lake-2026-03-01 --at 2026-03-01
  stance export --out ./history --since-last     # from cron, after each sync`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("missing --out: name the folder to write the export into")
			}
			opts := export.Options{Out: out, History: history, SinceLast: sinceLast, Logger: quietLogger(g)}
			if tablesFlag != "" {
				opts.Tables = strings.Split(tablesFlag, ",")
			}
			if at != "" {
				moment, err := timeparse.Parse(at, time.Now())
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
				opts.At = moment
			}
			path, err := g.resolveDB()
			if err != nil {
				return err
			}
			m, err := export.Run(cmd.Context(), path, opts)
			if m != nil {
				printExportSummary(g, m)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", "", "folder to write into (created 0700 when missing)")
	f.StringVar(&tablesFlag, "tables", "", "comma-separated glob patterns of the tables to export, such as 'aws_iam_*,stance_finding' (default all)")
	f.StringVar(&at, "at", "", "export the estate as of this moment: RFC 3339, a date, or an age such as 3d")
	f.BoolVar(&history, "history", false, "export every version of every resource, not one moment")
	f.BoolVar(&sinceLast, "since-last", false, "export only the versions that are new since the previous history export into --out")
	return cmd
}

func printExportSummary(g *globals, m *export.Manifest) {
	res := render.Result{Columns: []string{"table", "rows", "files", "write"}}
	var rows int64
	for _, t := range m.Tables {
		res.Rows = append(res.Rows, []any{t.Name, t.Rows, int64(len(t.Files)), t.Write})
		rows += t.Rows
	}
	for _, w := range m.Warnings {
		fmt.Fprintf(g.stderr, "stance: warning: %s\n", render.Sanitize(w))
	}
	render.Write(g.stdout, "table", res, render.Options{MaxWidth: 60})
	fmt.Fprintf(g.stdout, "\nExported %d rows of %d tables (%s) into %s\nManifest: %s\n",
		rows, len(m.Tables), describeCoverage(m), render.Sanitize(m.OutDir),
		render.Sanitize(filepath.Join(m.OutDir, export.ManifestFile)))
}

// describeCoverage names the sync run whose data the export's resource rows
// show. For a snapshot that is the newest run at its moment, which can be
// older than the newest run in the database.
func describeCoverage(m *export.Manifest) string {
	if m.Mode != export.ModeSnapshot {
		return fmt.Sprintf("%s, through sync run %d", m.Mode, m.ThroughSyncRunID)
	}
	at := m.SnapshotAt.UTC().Format(time.RFC3339)
	if m.SnapshotSyncRunID == 0 {
		return fmt.Sprintf("snapshot at %s, before the first sync", at)
	}
	return fmt.Sprintf("snapshot at %s, as of sync run %d", at, m.SnapshotSyncRunID)
}
