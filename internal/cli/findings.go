package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/internal/timeparse"
)

func newFindingsCmd(g *globals) *cobra.Command {
	var status, severity, sortBy, format, control string
	var accounts []string
	var limit int
	var wide bool
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List findings (control x resource) with their history: first seen, resolved, reopened",
		Example: `  stance findings
  stance findings --severity high --sort age
  stance findings --status resolved --control 'aws_s3_*' --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var where []string
			var args []any
			switch status {
			case "open":
				where = append(where, "f.status IN ('open', 'suppressed')")
			case "resolved", "suppressed":
				where = append(where, "f.status = ?")
				args = append(args, status)
			case "all":
			default:
				return fmt.Errorf("invalid --status %q: use open, resolved, suppressed or all", status)
			}
			if severity != "" {
				rank := benchmarks.SeverityRank(severity)
				if rank < 0 {
					return fmt.Errorf("invalid --severity %q: use one of %s", severity, strings.Join(benchmarks.Severities, ", "))
				}
				where = append(where, "list_position(['critical', 'high', 'medium', 'low', 'info'], f.severity) <= ?")
				args = append(args, rank+1)
			}
			if control != "" {
				where = append(where, "f.control_id LIKE ?")
				args = append(args, strings.ReplaceAll(control, "*", "%"))
			}
			if len(accounts) > 0 {
				where = append(where, "f.account_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(accounts)), ", ")+")")
				for _, a := range accounts {
					args = append(args, a)
				}
			}
			orders := map[string]string{
				"severity":   "list_position(['critical', 'high', 'medium', 'low', 'info'], f.severity), f.first_seen",
				"age":        "f.first_seen, list_position(['critical', 'high', 'medium', 'low', 'info'], f.severity), f.control_id, f.resource",
				"first_seen": "f.first_seen DESC",
				"last_seen":  "f.last_seen DESC",
				"control":    "f.control_id, f.resource",
			}
			order, ok := orders[sortBy]
			if !ok {
				return fmt.Errorf("invalid --sort %q: use severity, age, first_seen, last_seen or control", sortBy)
			}
			columns := `f.severity, f.status, f.control_id, f.resource, f.account_id, f.region, f.first_seen,
					date_diff('day', f.first_seen, coalesce(f.resolved_at, now())) AS age_days, f.reopen_count, f.reason`
			if wide {
				columns = `f.severity, f.status, f.control_id, c.title, f.resource, f.account_id, f.region,
					f.first_seen, f.last_seen, f.resolved_at, f.reopen_count,
					date_diff('day', f.first_seen, coalesce(f.resolved_at, now())) AS age_days, f.reason, f.remediation_command`
			}
			query := `SELECT ` + columns + ` FROM stance_finding f LEFT JOIN stance_control c USING (control_id)`
			if len(where) > 0 {
				query += " WHERE " + strings.Join(where, " AND ")
			}
			query += " ORDER BY " + order
			if limit > 0 {
				query += fmt.Sprintf(" LIMIT %d", limit)
			}
			ctx := cmd.Context()
			st, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			var exists bool
			if err := st.DB().QueryRowContext(ctx, `SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'stance_finding'`).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return fmt.Errorf("no findings yet: run 'stance check' first")
			}
			rows, err := st.DB().QueryContext(ctx, query, args...)
			if err != nil {
				return fmt.Errorf("read findings: %w", err)
			}
			defer rows.Close()
			res, err := scanAll(rows)
			if err != nil {
				return err
			}
			return render.Write(g.stdout, format, res, render.Options{MaxWidth: 60})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "open", "open (includes suppressed), resolved, suppressed or all")
	f.StringVar(&severity, "severity", "", "only findings at or above this severity")
	f.StringVar(&control, "control", "", "only controls matching this pattern (* matches any text)")
	f.StringSliceVar(&accounts, "account", nil, "only these account ids")
	f.StringVar(&sortBy, "sort", "severity", "order: severity, age (oldest first), first_seen, last_seen or control")
	f.IntVar(&limit, "limit", 0, "show at most this many findings (0: all)")
	f.BoolVar(&wide, "wide", false, "also show control titles, last seen and resolved times, and remediation commands")
	f.StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(render.Formats, ", "))
	return cmd
}

func newSuppressCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "suppress",
		Short: "Accept a finding for a while: suppressed results stay visible, marked as such, until the expiry",
	}
	var s benchmarks.Suppression
	var expires string
	var packDirs []string
	add := &cobra.Command{
		Use:     "add",
		Short:   "Suppress a control on matching resources until an expiry date",
		Example: `  stance suppress add --control aws_s3_bucket_public_access_blocked --resource 'arn:aws:s3:::public-website-*' --reason "static website" --author alice --expires 90d`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			at, err := parseFuture(expires, time.Now())
			if err != nil {
				return fmt.Errorf("--expires: %w", err)
			}
			s.ExpiresAt = at
			p, err := loadPacks(packDirs)
			if err != nil {
				return err
			}
			if err := validateSuppressedControl(p, s.Control); err != nil {
				return err
			}
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			id, err := benchmarks.AddSuppression(cmd.Context(), st.DB(), s)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "suppression %d added: %s on %s until %s\n", id, s.Control, s.Resource, at.Format(time.RFC3339))
			return nil
		},
	}
	f := add.Flags()
	f.StringVar(&s.Control, "control", "", "control id or pattern (* matches any text); it must name or match a known control")
	f.StringVar(&s.Resource, "resource", "*", "resource id or pattern (* matches any text)")
	f.StringVar(&s.Reason, "reason", "", "why the finding is accepted")
	f.StringVar(&s.Author, "author", "", "who accepts it")
	f.StringVar(&expires, "expires", "", "when the suppression ends: a date, RFC 3339 time, or a duration from now such as 30d")
	f.StringSliceVar(&packDirs, "pack-dir", nil, "folder with more controls, as for 'stance check' (repeatable)")
	for _, name := range []string{"control", "reason", "author", "expires"} {
		add.MarkFlagRequired(name)
	}

	var format string
	list := &cobra.Command{
		Use:   "list",
		Short: "List suppressions, expired ones included",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := runQuery(cmd.Context(), st, `SELECT suppression_id, control_pattern, resource_pattern, reason, author, created_at, expires_at,
				expires_at <= now() AS expired FROM stance_suppression ORDER BY suppression_id`, time.Time{})
			if err != nil {
				return fmt.Errorf("no suppressions yet (%w)", err)
			}
			return render.Write(g.stdout, format, res, render.Options{MaxWidth: 60})
		},
	}
	list.Flags().StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(render.Formats, ", "))

	remove := &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a suppression; its findings reopen at the next check",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := st.DB().ExecContext(cmd.Context(), `DELETE FROM stance_suppression WHERE suppression_id = TRY_CAST(? AS BIGINT)`, args[0])
			if err != nil {
				return fmt.Errorf("remove suppression: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("no suppression %q: see 'stance suppress list'", args[0])
			}
			fmt.Fprintf(g.stdout, "suppression %s removed\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}

// parseFuture reads a moment after now: a duration such as 30d, or a date
// or time as timeparse reads them.
func parseFuture(s string, now time.Time) (time.Time, error) {
	past, err := timeparse.Parse(s, now)
	if err != nil {
		return time.Time{}, err
	}
	if past.Before(now) && !strings.ContainsAny(s, "-:T") {
		// An age such as 30d counts forward here.
		return now.Add(now.Sub(past)), nil
	}
	return past, nil
}
