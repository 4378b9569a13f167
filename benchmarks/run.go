package benchmarks

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	gosync "sync"
	"text/template"
	"time"

	"github.com/stance-cspm/stance/internal/errtext"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// Result statuses of the control contract.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"
	StatusError = "error"
	StatusSkip  = "skip"
	StatusInfo  = "info"
)

var validStatus = map[string]bool{StatusPass: true, StatusFail: true, StatusError: true, StatusSkip: true, StatusInfo: true}

// Result is one row of a control's output.
type Result struct {
	ControlID          string
	Resource           string
	Status             string
	Reason             string
	AccountID          string
	Region             string
	Severity           string
	RemediationCommand string
	Suppressed         bool
	SuppressionReason  string
}

// Outcome is the output of one control in a run.
type Outcome struct {
	Control  *Control
	Results  []Result
	Err      error
	Duration time.Duration
}

// Filters narrow a run.
type Filters struct {
	Accounts []string
	Regions  []string
	// MinSeverity keeps controls at or above this severity.
	MinSeverity string
	// Sections keeps requirements whose id or section starts with one of
	// these prefixes ("2.1" or "2 Storage").
	Sections []string
}

// Options tune a run.
type Options struct {
	// At evaluates the estate as it was at that moment. A run in the past
	// stores its results but changes no finding.
	At          time.Time
	Concurrency int
	Now         func() time.Time
	Logger      *slog.Logger
}

// Run is a completed check run.
type Run struct {
	ID          int64
	Benchmark   *Benchmark // nil when controls were named directly
	EvaluatedAt time.Time
	Outcomes    []Outcome
	// Manual lists the manual requirements of the benchmark: they are
	// reported as manual, never evaluated or dropped.
	Manual []Requirement
	// Requirements are the benchmark's requirements after the filters.
	Requirements []Requirement
}

// Counts returns the number of results per status.
func (r *Run) Counts() map[string]int {
	out := map[string]int{}
	for _, o := range r.Outcomes {
		for _, res := range o.Results {
			out[res.Status]++
		}
	}
	return out
}

// Execute runs the controls of a benchmark (when b is set, after the
// filters) or the given controls, stores the results, and updates the
// findings.
func Execute(ctx context.Context, st *store.Store, p *Pack, b *Benchmark, controls []*Control, f Filters, opts Options) (*Run, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if err := ensureSchema(ctx, st.DB(), p); err != nil {
		return nil, err
	}
	run := &Run{Benchmark: b, EvaluatedAt: opts.Now().UTC()}
	if !opts.At.IsZero() {
		run.EvaluatedAt = opts.At.UTC()
	}
	if b != nil {
		controls, run.Requirements, run.Manual = selectRequirements(p, b, f)
	}
	controls = filterSeverity(controls, f.MinSeverity)
	if len(controls) == 0 && len(run.Manual) == 0 {
		return nil, fmt.Errorf("no control matches the filters")
	}

	// Create or upgrade every table the controls read, so that a control
	// over a table never synced, or synced by an older stance without a
	// newer column, runs instead of failing to bind.
	for _, c := range controls {
		for _, name := range c.Tables {
			if t, ok := tables.Lookup(name); ok {
				if err := st.EnsureTable(ctx, t.Schema()); err != nil {
					return nil, err
				}
			}
		}
	}
	suppressions, err := activeSuppressions(ctx, st.DB(), run.EvaluatedAt)
	if err != nil {
		return nil, err
	}
	started := time.Now()
	run.Outcomes = make([]Outcome, len(controls))
	sem := make(chan struct{}, opts.Concurrency)
	var wg gosync.WaitGroup
	for i, c := range controls {
		wg.Add(1)
		go func(i int, c *Control) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			run.Outcomes[i] = evaluate(ctx, st, c, f, opts.At, suppressions)
			if err := run.Outcomes[i].Err; err != nil {
				opts.Logger.Warn("control failed", "control_id", c.ID, "error", err)
			}
		}(i, c)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("check interrupted: %w", err)
	}
	if err := save(ctx, st.DB(), run, f, !opts.At.IsZero(), started); err != nil {
		return nil, err
	}
	return run, nil
}

// selectRequirements returns the controls, requirements and manual
// requirements of b that pass the section filter.
func selectRequirements(p *Pack, b *Benchmark, f Filters) ([]*Control, []Requirement, []Requirement) {
	var controls []*Control
	var reqs, manual []Requirement
	seen := map[string]bool{}
	for _, r := range b.Requirements {
		if !matchSection(r, f.Sections) {
			continue
		}
		reqs = append(reqs, r)
		if r.Assessment == "manual" {
			manual = append(manual, r)
			continue
		}
		for _, id := range r.Controls {
			if !seen[id] {
				seen[id] = true
				controls = append(controls, p.Controls[id])
			}
		}
	}
	return controls, reqs, manual
}

func matchSection(r Requirement, sections []string) bool {
	if len(sections) == 0 {
		return true
	}
	for _, s := range sections {
		if r.InSection(s) {
			return true
		}
	}
	return false
}

// InSection reports whether the requirement falls under the --section
// value s: its own id, a parent id ("2.1" for "2.1.4"), or the start of its
// section title.
func (r Requirement) InSection(s string) bool {
	return r.ID == s || strings.HasPrefix(r.ID, s+".") || strings.HasPrefix(r.Section, s)
}

func filterSeverity(controls []*Control, min string) []*Control {
	if min == "" {
		return controls
	}
	limit := SeverityRank(min)
	var out []*Control
	for _, c := range controls {
		if SeverityRank(c.Severity) <= limit {
			out = append(out, c)
		}
	}
	return out
}

// evaluate runs one control on its own connection.
func evaluate(ctx context.Context, st *store.Store, c *Control, f Filters, at time.Time, sups []suppression) (out Outcome) {
	start := time.Now()
	out = Outcome{Control: c}
	// The named result lets the deferred call set the duration of every
	// return path.
	defer func() { out.Duration = time.Since(start) }()

	fail := func(err error) Outcome {
		out.Err = err
		out.Results = []Result{{ControlID: c.ID, Resource: c.ID, Status: StatusError, Severity: c.Severity,
			Reason: fmt.Sprintf("control %s failed: %v", c.ID, err)}}
		out.Duration = time.Since(start)
		return out
	}
	conn, err := st.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	if !at.IsZero() {
		if err := store.SetAt(ctx, conn, at); err != nil {
			return fail(err)
		}
	}

	gaps, err := blindSpots(ctx, conn, c.Tables, at)
	if err != nil {
		return fail(err)
	}
	rows, err := conn.QueryContext(ctx, c.SQL)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fail(err)
	}
	for _, need := range []string{"resource", "status", "reason", "account_id", "region"} {
		if !contains(cols, need) {
			return fail(fmt.Errorf("query returns no %q column: a control returns resource, status, reason, account_id and region", need))
		}
	}
	var tmpl *template.Template
	if c.RemediationCommand != "" {
		tmpl, err = template.New(c.ID).Option("missingkey=zero").Parse(c.RemediationCommand)
		if err != nil {
			return fail(fmt.Errorf("invalid remediation_command template: %w", err))
		}
	}
	// The row is scanned into one reused buffer, and only a failing row with
	// a remediation template becomes a map, because most rows pass.
	index := make(map[string]int, len(cols))
	for i, name := range cols {
		index[name] = i
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	resource, status, reason, account, region := index["resource"], index["status"], index["reason"], index["account_id"], index["region"]
	for rows.Next() {
		clear(vals)
		if err := rows.Scan(ptrs...); err != nil {
			return fail(err)
		}
		res := Result{
			ControlID: c.ID, Severity: c.Severity,
			Resource: text(vals[resource]), Status: strings.ToLower(text(vals[status])),
			Reason: text(vals[reason]), AccountID: text(vals[account]), Region: text(vals[region]),
		}
		if !validStatus[res.Status] {
			res.Reason = fmt.Sprintf("control returned invalid status %q (want pass, fail, error, skip or info): %s", res.Status, res.Reason)
			res.Status = StatusError
		}
		if strings.TrimSpace(res.Reason) == "" {
			res.Reason = fmt.Sprintf("control %s returned %s without a reason", c.ID, res.Status)
		}
		if res.Resource == "" {
			res.Resource = res.AccountID + "/" + res.Region
		}
		if !inScope(res.AccountID, res.Region, f) {
			continue
		}
		if res.Status == StatusFail && tmpl != nil {
			row := make(map[string]any, len(cols))
			for i, name := range cols {
				row[name] = vals[i]
			}
			var b strings.Builder
			if err := tmpl.Execute(&b, row); err == nil {
				res.RemediationCommand = b.String()
			}
		}
		if !c.HandlesBlindSpots {
			downgradeInBlindSpot(&res, gaps)
		}
		applySuppressions(&res, sups)
		out.Results = append(out.Results, res)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	for _, g := range gaps {
		if !inScope(g.AccountID, g.Region, f) {
			continue
		}
		out.Results = append(out.Results, Result{
			ControlID: c.ID, Severity: c.Severity, Status: StatusSkip,
			Resource:  g.AccountID + "/" + g.Region,
			AccountID: g.AccountID, Region: g.Region,
			Reason: g.reason(),
		})
	}
	return out
}

// gap is a partition of a table that a control reads and that the sync
// could not read.
type gap struct {
	Table, AccountID, Region, Status, Code, Message string
	Never                                           bool
}

func (g gap) reason() string {
	if g.Never {
		return fmt.Sprintf("not evaluated: table %s was never synced; run 'stance sync' first", g.Table)
	}
	msg := errtext.Short(g.Message)
	if len(msg) > 200 {
		msg = msg[:197] + "..."
	}
	return fmt.Sprintf("not evaluated: %s in account %s region %s is a blind spot of the last sync (%s %s: %s)", g.Table, g.AccountID, g.Region, g.Status, g.Code, msg)
}

// downgradeInBlindSpot turns a pass or fail into skip when a table the
// control reads was not readable where the result lies: the query then saw
// stale or missing rows, so its verdict cannot be trusted. A gap in a
// global partition covers the whole account; a regional gap covers its
// region and the account-level results ("global" or no region).
func downgradeInBlindSpot(r *Result, gaps []gap) {
	if r.Status != StatusPass && r.Status != StatusFail {
		return
	}
	for _, g := range gaps {
		if g.Never || g.AccountID != r.AccountID {
			continue
		}
		covers := g.Region == r.Region || g.Region == tables.GlobalRegion ||
			r.Region == "" || r.Region == tables.GlobalRegion
		if !covers {
			continue
		}
		r.Reason = fmt.Sprintf("%s; the query said %s: %s", g.reason(), r.Status, r.Reason)
		r.Status = StatusSkip
		r.RemediationCommand = ""
		return
	}
}

// blindSpots returns the partitions of the tables that the latest sync at
// or before at (now when zero) could not read, and the tables never synced.
func blindSpots(ctx context.Context, conn *sql.Conn, tbls []string, at time.Time) ([]gap, error) {
	var out []gap
	moment := at
	if moment.IsZero() {
		moment = time.Now().Add(time.Hour)
	}
	for _, t := range tbls {
		var synced int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM stance_sync_partition p JOIN stance_sync_run r USING (run_id)
			WHERE p.table_name = ? AND r.sync_time <= ?`, t, moment.UTC()).Scan(&synced)
		if err != nil {
			return nil, fmt.Errorf("read coverage of %s: %w", t, err)
		}
		if synced == 0 {
			out = append(out, gap{Table: t, Never: true, AccountID: "", Region: ""})
			continue
		}
		rows, err := conn.QueryContext(ctx, `SELECT account_id, region, status, coalesce(error_code, ''), coalesce(error, '') FROM (
				SELECT p.*, row_number() OVER (PARTITION BY p.account_id, p.region ORDER BY p.run_id DESC) AS rn
				FROM stance_sync_partition p JOIN stance_sync_run r USING (run_id)
				WHERE p.table_name = ? AND r.sync_time <= ?)
			WHERE rn = 1 AND status <> 'ok' ORDER BY account_id, region`, t, moment.UTC())
		if err != nil {
			return nil, fmt.Errorf("read coverage of %s: %w", t, err)
		}
		for rows.Next() {
			g := gap{Table: t}
			if err := rows.Scan(&g.AccountID, &g.Region, &g.Status, &g.Code, &g.Message); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, g)
		}
		rows.Close()
	}
	return out, nil
}

func inScope(account, region string, f Filters) bool {
	if len(f.Accounts) > 0 && account != "" && !contains(f.Accounts, account) {
		return false
	}
	if len(f.Regions) > 0 && region != "" && region != "global" && !contains(f.Regions, region) {
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// text returns a scanned value as a string.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	if b, err := json.Marshal(v); err == nil && !strings.HasPrefix(string(b), "{") {
		return strings.Trim(string(b), `"`)
	}
	return fmt.Sprint(v)
}

// suppression is an active suppression: results of matching controls and
// resources are reported as suppressed.
type suppression struct {
	ID                int64
	Control, Resource string
	Reason, Author    string
	ExpiresAt         sql.NullTime
}

func activeSuppressions(ctx context.Context, db *sql.DB, at time.Time) ([]suppression, error) {
	rows, err := db.QueryContext(ctx, `SELECT suppression_id, control_pattern, resource_pattern, reason, author, expires_at
		FROM stance_suppression WHERE created_at <= ? AND (expires_at IS NULL OR expires_at > ?)`, at, at)
	if err != nil {
		return nil, fmt.Errorf("read suppressions: %w", err)
	}
	defer rows.Close()
	var out []suppression
	for rows.Next() {
		var s suppression
		if err := rows.Scan(&s.ID, &s.Control, &s.Resource, &s.Reason, &s.Author, &s.ExpiresAt); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func applySuppressions(r *Result, sups []suppression) {
	if r.Status != StatusFail {
		return
	}
	for _, s := range sups {
		if globMatch(s.Control, r.ControlID) && globMatch(s.Resource, r.Resource) {
			r.Suppressed = true
			until := "no expiry"
			if s.ExpiresAt.Valid {
				until = "until " + s.ExpiresAt.Time.UTC().Format("2006-01-02")
			}
			r.SuppressionReason = fmt.Sprintf("by %s (%s): %s", s.Author, until, s.Reason)
			return
		}
	}
}

// SortResults orders results worst first: failures by severity, then
// errors, skips, passes.
func SortResults(rs []Result) {
	rank := map[string]int{StatusFail: 0, StatusError: 1, StatusSkip: 2, StatusInfo: 3, StatusPass: 4}
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Suppressed != b.Suppressed {
			return !a.Suppressed
		}
		if rank[a.Status] != rank[b.Status] {
			return rank[a.Status] < rank[b.Status]
		}
		if SeverityRank(a.Severity) != SeverityRank(b.Severity) {
			return SeverityRank(a.Severity) < SeverityRank(b.Severity)
		}
		if a.ControlID != b.ControlID {
			return a.ControlID < b.ControlID
		}
		return a.Resource < b.Resource
	})
}
