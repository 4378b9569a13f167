package benchmarks

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	gosync "sync"
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
	Control *Control
	// Counts is the number of the control's results per status.
	Counts map[string]int
	// Suppressed is the number of failing results that a suppression
	// covers; Counts includes them under fail.
	Suppressed int
	// Results holds the results that Execute or LoadResults read back
	// from stance_check_result, as Options.Load chose.
	Results  []Result
	Err      error
	Duration time.Duration
}

// CountResults sets Counts and Suppressed from Results, for an outcome
// built in memory rather than by Execute.
func (o *Outcome) CountResults() {
	o.Counts, o.Suppressed = map[string]int{}, 0
	for _, r := range o.Results {
		o.Counts[r.Status]++
		if r.Suppressed {
			o.Suppressed++
		}
	}
}

// ResultLoad chooses which stored results Execute reads back into
// Outcome.Results.
type ResultLoad int

const (
	// LoadAll reads every result.
	LoadAll ResultLoad = iota
	// LoadNotPassed reads every result but passes: what a report lists
	// unless it is asked for passes too.
	LoadNotPassed
	// LoadNone reads no result; the counts are still set.
	LoadNone
)

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
	// Passes stores a row for every passing result. Without it, a run
	// stores the passes of each control as a count in
	// stance_check_control, and a row for every other result.
	Passes bool
	// Load chooses the results read back after the run: all of them by
	// default. Over a large estate, LoadNotPassed or LoadNone spare the
	// memory of a million passing rows.
	Load ResultLoad
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
		for status, n := range o.Counts {
			out[status] += n
		}
	}
	return out
}

// Suppressed returns the number of failing results that a suppression
// covers.
func (r *Run) Suppressed() int {
	n := 0
	for _, o := range r.Outcomes {
		n += o.Suppressed
	}
	return n
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
	begun := time.Now()
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
	ensured := map[string]bool{}
	var schemas []store.Schema
	for _, c := range controls {
		for _, name := range c.Tables {
			if t, ok := tables.Lookup(name); ok && !ensured[name] {
				ensured[name] = true
				schemas = append(schemas, t.Schema())
			}
		}
	}
	if err := st.EnsureTables(ctx, schemas); err != nil {
		return nil, err
	}
	suppressions, err := activeSuppressions(ctx, st.DB(), run.EvaluatedAt)
	if err != nil {
		return nil, err
	}
	if err := registerRemediation(ctx, st.DB()); err != nil {
		return nil, err
	}
	if err := st.DB().QueryRowContext(ctx, `SELECT nextval('stance_check_run_seq')`).Scan(&run.ID); err != nil {
		return nil, fmt.Errorf("start check run: %w", err)
	}
	// Controls put their results in a table of an in-memory database until
	// save moves them into stance_check_result in one statement, in the
	// transaction that records the run and its findings.
	scratch, err := createScratch(ctx, st.DB(), run.ID)
	if err != nil {
		return nil, err
	}
	defer dropScratch(context.WithoutCancel(ctx), st.DB(), scratch, opts.Logger)

	started := time.Now()
	opts.Logger.Debug("prepared check run", "run_id", run.ID, "duration", started.Sub(begun))
	run.Outcomes = make([]Outcome, len(controls))
	sem := make(chan struct{}, opts.Concurrency)
	var wg gosync.WaitGroup
	for i, c := range controls {
		wg.Add(1)
		go func(i int, c *Control) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			run.Outcomes[i] = evaluate(ctx, st, c, i, f, opts.At, suppressions, scratch, opts.Passes)
			if err := run.Outcomes[i].Err; err != nil {
				opts.Logger.Warn("control failed", "control_id", c.ID, "error", err)
			}
		}(i, c)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("check interrupted: %w", err)
	}
	opts.Logger.Debug("ran controls", "run_id", run.ID, "controls", len(controls), "duration", time.Since(started))
	step := time.Now()
	if err := countResults(ctx, st.DB(), run, scratch); err != nil {
		return nil, err
	}
	opts.Logger.Debug("counted results", "run_id", run.ID, "duration", time.Since(step))
	if err := save(ctx, st.DB(), run, scratch, f, !opts.At.IsZero(), opts.Passes, started, opts.Logger); err != nil {
		return nil, err
	}
	if err := LoadResults(ctx, st.DB(), run, opts.Load); err != nil {
		return nil, err
	}
	return run, nil
}

// scratchDB is the in-memory database that holds the results of running
// check runs.
const scratchDB = "stance_scratch"

// createScratch creates the table that collects the results of one run and
// returns its qualified name. Its columns are those of stance_check_result
// that differ between the results of a control (see scratchColumns).
func createScratch(ctx context.Context, db *sql.DB, runID int64) (string, error) {
	name := fmt.Sprintf("%s.main.results_%d", scratchDB, runID)
	for _, stmt := range []string{
		"ATTACH IF NOT EXISTS ':memory:' AS " + scratchDB,
		"CREATE OR REPLACE TABLE " + name + ` (ctl INTEGER NOT NULL, resource VARCHAR, status VARCHAR NOT NULL,
			reason VARCHAR, account_id VARCHAR, region VARCHAR, remediation_command VARCHAR,
			suppressed BOOLEAN NOT NULL, suppression_reason VARCHAR)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return "", fmt.Errorf("prepare check run %d: %w", runID, err)
		}
	}
	return name, nil
}

func dropScratch(ctx context.Context, db *sql.DB, name string, log *slog.Logger) {
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+name); err != nil {
		log.Warn("could not drop the scratch table of a check run", "table", name, "error", err)
	}
}

// countResults sets the counts of every outcome from the scratch table.
func countResults(ctx context.Context, db *sql.DB, run *Run, scratch string) error {
	for i := range run.Outcomes {
		run.Outcomes[i].Counts, run.Outcomes[i].Suppressed = map[string]int{}, 0
	}
	rows, err := db.QueryContext(ctx, `SELECT ctl, status, suppressed, count(*) FROM `+scratch+` GROUP BY ALL`)
	if err != nil {
		return fmt.Errorf("count check results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ctl, n int
		var status string
		var suppressed bool
		if err := rows.Scan(&ctl, &status, &suppressed, &n); err != nil {
			return fmt.Errorf("count check results: %w", err)
		}
		if ctl < 0 || ctl >= len(run.Outcomes) {
			return fmt.Errorf("count check results: control number %d out of range", ctl)
		}
		o := &run.Outcomes[ctl]
		o.Counts[status] += n
		if suppressed {
			o.Suppressed += n
		}
	}
	return rows.Err()
}

// LoadResults reads the stored results of a run into its outcomes, grouped
// by control in the order in which they were stored.
func LoadResults(ctx context.Context, db *sql.DB, run *Run, load ResultLoad) error {
	index := map[string]*Outcome{}
	for i := range run.Outcomes {
		o := &run.Outcomes[i]
		o.Results = nil
		index[o.Control.ID] = o
	}
	if load == LoadNone {
		return nil
	}
	q := `SELECT control_id, resource, status, reason, coalesce(account_id, ''), coalesce(region, ''), severity,
			coalesce(remediation_command, ''), suppressed, coalesce(suppression_reason, '')
		FROM stance_check_result WHERE run_id = ?`
	if load == LoadNotPassed {
		q += ` AND status <> 'pass'`
	}
	rows, err := db.QueryContext(ctx, q+` ORDER BY control_id, rowid`, run.ID)
	if err != nil {
		return fmt.Errorf("read check results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Result
		err := rows.Scan(&r.ControlID, &r.Resource, &r.Status, &r.Reason, &r.AccountID, &r.Region, &r.Severity,
			&r.RemediationCommand, &r.Suppressed, &r.SuppressionReason)
		if err != nil {
			return fmt.Errorf("read check results: %w", err)
		}
		if o := index[r.ControlID]; o != nil {
			o.Results = append(o.Results, r)
		}
	}
	return rows.Err()
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

// note returns the text that a suppressed result carries.
func (s suppression) note() string {
	until := "no expiry"
	if s.ExpiresAt.Valid {
		until = "until " + s.ExpiresAt.Time.UTC().Format("2006-01-02")
	}
	return fmt.Sprintf("by %s (%s): %s", s.Author, until, s.Reason)
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
