package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/export"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/sqlrun"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/internal/timeparse"
	"github.com/stance-cspm/stance/queries"
	"github.com/stance-cspm/stance/repl"
)

func newQueryCmd(g *globals) *cobra.Command {
	var at, format, file, named, out string
	var maxWidth int
	cmd := &cobra.Command{
		Use:   "query [SQL]",
		Short: "Run SQL over the estate, now or at a past moment",
		Long: `Run one SQL statement over the database and print the result. The SQL
comes from the argument, from --file, or from standard input; without
any of them on a terminal, the interactive shell of 'stance repl' opens.

Resource tables (aws_s3_bucket, aws_ec2_instance, ...) show the present;
with --at they show the estate as it was at that moment. The same works
in plain SQL: SET VARIABLE stance_at = TIMESTAMPTZ '2026-03-01 12:00:00Z'.
Every version is in history.<table>, with _valid_from and _valid_to.
The database is opened read-only. Several statements run one after the
other on one connection. The table, line and markdown formats print the
result of each, separated by a blank line. The csv, json, jsonl, parquet
and arrow formats hold one result, so they get the last one, with a
warning on standard error.

--format parquet writes one ZSTD-compressed Parquet file to --out.
--format arrow writes the Arrow IPC file format to --out, or streams the
Arrow IPC stream format to standard output for tools such as pyarrow and
polars. Both keep column types: timestamps in UTC, lists, structs and
maps; JSON documents become text columns whose Arrow field metadata
stance.duckdb_type is JSON. In Parquet, INTERVAL columns become text such
as "1 months 2 days 0 microseconds", which DuckDB casts back to INTERVAL.`,
		Example: `  stance query "SELECT name, region FROM aws_s3_bucket WHERE policy_status_is_public"
  stance query --at 3d "SELECT count(*) FROM aws_ec2_instance"
  stance query --format csv < report.sql > report.csv
  stance query --format parquet --out buckets.parquet "SELECT * FROM aws_s3_bucket"
  stance query --format arrow "SELECT * FROM aws_iam_user" | python3 -c 'import sys, pyarrow as pa; print(pa.ipc.open_stream(sys.stdin.buffer).read_all())'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !isBinaryFormat(format) && !render.IsFormat(format) {
				return fmt.Errorf("invalid --format %q: use one of %s", format, strings.Join(queryFormats(), ", "))
			}
			var query string
			var err error
			if named != "" {
				if len(args) > 0 || file != "" {
					return fmt.Errorf("--named runs a stored query: drop the SQL argument and --file")
				}
				q, err := queries.Lookup(named)
				if err != nil {
					return err
				}
				query = q.SQL
			} else if len(args) == 0 && file == "" && stdinIsTerminal(g.stdin) {
				return g.runRepl(cmd.Context(), at, format)
			} else if query, err = readQuery(args, file, g.stdin); err != nil {
				return err
			}
			var moment time.Time
			if at != "" {
				moment, err = timeparse.Parse(at, time.Now())
				if err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			}
			ctx := cmd.Context()
			st, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if !moment.IsZero() {
				warnBeforeFirstSync(ctx, g, st, moment)
			}
			opts := render.Options{MaxWidth: maxWidth}
			if stmts := splitStatements(query); len(stmts) > 1 && readableFormat(format) {
				write := func(w io.Writer) error { return runStatements(ctx, st, stmts, moment, w, format, opts) }
				if out == "" {
					return write(g.stdout)
				}
				return writeFileAtomically(out, write)
			}
			warnMultiStatement(ctx, g, st, query)
			if isBinaryFormat(format) {
				return writeBinaryResult(ctx, g, st, query, moment, format, out)
			}
			res, err := runQuery(ctx, st, query, moment)
			if err != nil {
				return err
			}
			if out == "" {
				return render.Write(g.stdout, format, res, opts)
			}
			return writeFileAtomically(out, func(w io.Writer) error {
				return render.Write(w, format, res, opts)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&at, "at", "", "evaluate as of this moment: RFC 3339, a date, or an age such as 3d")
	f.StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(queryFormats(), ", "))
	f.StringVar(&out, "out", "", "write the result to this file (created 0600) instead of standard output; parquet needs it")
	f.StringVar(&file, "file", "", "read the SQL from this file")
	f.StringVar(&named, "named", "", "run a named query (list them with 'stance queries')")
	f.IntVar(&maxWidth, "max-width", 80, "longest cell in the table format before it is cut with …")
	return cmd
}

// warnBeforeFirstSync warns when --at is earlier than every sync, because
// the views are then empty: the database has no data of that time.
func warnBeforeFirstSync(ctx context.Context, g *globals, st *store.Store, at time.Time) {
	var first sql.NullTime
	if err := st.DB().QueryRowContext(ctx, `SELECT min(sync_time) FROM stance_sync_run`).Scan(&first); err != nil {
		return
	}
	if !first.Valid {
		fmt.Fprintln(g.stderr, "stance: warning: the database contains no sync yet: run 'stance sync' first")
		return
	}
	if at.Before(first.Time) {
		fmt.Fprintf(g.stderr, "stance: warning: --at %s is before the first sync (%s): the estate of that time is unknown, so tables are empty\n",
			at.UTC().Format(time.RFC3339), first.Time.UTC().Format(time.RFC3339))
	}
}

// warnMultiStatement warns when query contains several statements in a
// format that holds one result, because only the last one is printed.
func warnMultiStatement(ctx context.Context, g *globals, st *store.Store, query string) {
	conn, err := st.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if sqlrun.IsMultiStatement(conn, query) {
		fmt.Fprintln(g.stderr, "stance: warning: the SQL contains several statements. All of them run, but this format shows one result, so only the last one is printed. Use --format table, line or markdown to see each result.")
	}
}

// readableFormat reports whether format can show several results one
// after the other.
func readableFormat(format string) bool {
	switch format {
	case "", "table", "line", "markdown", "md":
		return true
	}
	return false
}

// splitStatements returns the statements of query; the last one needs no
// semicolon.
func splitStatements(query string) []repl.Statement {
	stmts, rest := repl.Split(query)
	if !repl.IsBlank(rest) {
		last, _ := repl.Split(rest + ";")
		stmts = append(stmts, last...)
	}
	return stmts
}

// runStatements runs statements in order on one connection, so that a
// SET VARIABLE or a temporary table carries over, and writes the result
// of each. A failing statement stops the run, and its error names its
// line.
func runStatements(ctx context.Context, st *store.Store, stmts []repl.Statement, at time.Time, w io.Writer, format string, opts render.Options) error {
	conn, err := connAt(ctx, st, at)
	if err != nil {
		return err
	}
	defer conn.Close()
	for i, stmt := range stmts {
		rows, err := sqlrun.Rows(ctx, conn, stmt.SQL)
		if err != nil {
			return fmt.Errorf("statement %d of %d, line %d: %w", i+1, len(stmts), stmt.Line, err)
		}
		res, err := sqlrun.Scan(rows)
		rows.Close()
		if err != nil {
			return fmt.Errorf("statement %d of %d, line %d: %w", i+1, len(stmts), stmt.Line, err)
		}
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if err := render.Write(w, format, res, opts); err != nil {
			return err
		}
	}
	return nil
}

// stdinIsTerminal reports whether standard input is a terminal, where
// 'stance query' without SQL opens the REPL.
func stdinIsTerminal(stdin io.Reader) bool {
	f, ok := stdin.(*os.File)
	return ok && isTerminal(f)
}

func readQuery(args []string, file string, stdin io.Reader) (string, error) {
	switch {
	case len(args) == 1 && file != "":
		return "", fmt.Errorf("give the SQL as an argument or with --file, not both")
	case len(args) == 1:
		return args[0], nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read SQL file: %w", err)
		}
		return string(b), nil
	}
	b, err := io.ReadAll(stdin)
	if err != nil {
		return "", fmt.Errorf("read SQL from standard input: %w", err)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", fmt.Errorf("no SQL given on standard input")
	}
	return string(b), nil
}

// runQuery runs one query on its own connection, as of at when at is set.
func runQuery(ctx context.Context, st *store.Store, query string, at time.Time) (render.Result, error) {
	var res render.Result
	err := withQueryRows(ctx, st, query, at, func(rows *sql.Rows) error {
		var err error
		res, err = scanAll(rows)
		return err
	})
	return res, err
}

// connAt returns a connection whose views show the estate as of at, or
// the present when at is zero.
func connAt(ctx context.Context, st *store.Store, at time.Time) (*sql.Conn, error) {
	conn, err := st.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if !at.IsZero() {
		if err := store.SetAt(ctx, conn, at); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// withQueryRows runs one query on its own connection, as of at when at is
// set, and hands its rows to read.
func withQueryRows(ctx context.Context, st *store.Store, query string, at time.Time, read func(*sql.Rows) error) error {
	conn, err := connAt(ctx, st, at)
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := sqlrun.Rows(ctx, conn, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	return read(rows)
}

func scanAll(rows *sql.Rows) (render.Result, error) {
	return sqlrun.Scan(rows)
}

// binaryFormats are the query formats that export writes instead of render.
var binaryFormats = []string{export.FormatParquet, export.FormatArrowFile}

// queryFormats returns every --format that 'stance query' accepts: the text
// formats of render, then the binary formats of export.
func queryFormats() []string {
	return slices.Concat(render.Formats, binaryFormats)
}

func isBinaryFormat(format string) bool {
	return format == export.FormatParquet || format == export.FormatArrowFile
}

// writeBinaryResult writes a query result as Parquet or Arrow IPC, to --out
// or, for Arrow, as a stream to standard output.
func writeBinaryResult(ctx context.Context, g *globals, st *store.Store, query string, at time.Time, format, out string) error {
	if out == "" && format == export.FormatParquet {
		return fmt.Errorf("--format parquet needs --out FILE: a Parquet file cannot be streamed")
	}
	if out == "" && isTerminal(g.stdout) {
		return fmt.Errorf("--format arrow writes binary data: redirect standard output to a file or a program, or use --out FILE")
	}
	return withQueryRows(ctx, st, query, at, func(rows *sql.Rows) error {
		if out == "" {
			_, err := export.WriteResult(rows, export.FormatArrowStream, g.stdout)
			return err
		}
		return writeFileAtomically(out, func(w io.Writer) error {
			_, err := export.WriteResult(rows, format, w)
			return err
		})
	})
}

// writeFileAtomically writes a file through a temporary file in the same
// folder, created 0600, and renames it into place only when write succeeds,
// so a failed query never leaves a half-written file.
func writeFileAtomically(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--out %s: folder %s does not exist: create it first, for example with mkdir -p %s", path, dir, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create --out file %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
