package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/benchmarks"
	"github.com/stance-cspm/stance/internal/store"
)

// validateCheckFilters returns an error naming the filter value when a
// --section, --severity, --account or --region of 'stance check' matches
// nothing, and lists the values that exist, so that a typo does not end in
// an empty report or a bare "no control matches".
func validateCheckFilters(ctx context.Context, st *store.Store, p *benchmarks.Pack, jobs []checkJob, f benchmarks.Filters) error {
	for _, job := range jobs {
		if job.bench == nil {
			continue
		}
		if err := validateSections(job.bench, f.Sections); err != nil {
			return err
		}
	}
	if err := validateSeverity(p, jobs, f); err != nil {
		return err
	}
	return validateScope(ctx, st, f)
}

// validateSections rejects a section that no requirement of b is in.
func validateSections(b *benchmarks.Benchmark, sections []string) error {
	for _, s := range sections {
		found := false
		for _, r := range b.Requirements {
			if r.InSection(s) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("no requirement of %s is in --section %q: its sections are %s",
				b.Ref(), s, strings.Join(benchmarkSections(b), "; "))
		}
	}
	return nil
}

// benchmarkSections returns the distinct sections of b in manifest order.
func benchmarkSections(b *benchmarks.Benchmark) []string {
	var out []string
	for _, r := range b.Requirements {
		out = appendUnique(out, r.Section)
	}
	return out
}

// validateSeverity rejects a --severity above every selected control when
// no manual requirement would still be reported either.
func validateSeverity(p *benchmarks.Pack, jobs []checkJob, f benchmarks.Filters) error {
	if f.MinSeverity == "" {
		return nil
	}
	limit := benchmarks.SeverityRank(f.MinSeverity)
	var present []string
	for _, job := range jobs {
		for _, c := range jobControls(p, job, f.Sections) {
			if benchmarks.SeverityRank(c.Severity) <= limit {
				return nil
			}
			present = appendUnique(present, c.Severity)
		}
		if job.bench != nil && hasManual(job.bench, f.Sections) {
			return nil
		}
	}
	return fmt.Errorf("no control is at or above --severity %s: the selected controls are %s, so use a lower severity",
		f.MinSeverity, strings.Join(present, ", "))
}

// jobControls returns the controls that a job runs within the sections.
func jobControls(p *benchmarks.Pack, job checkJob, sections []string) []*benchmarks.Control {
	if job.bench == nil {
		return job.controls
	}
	var out []*benchmarks.Control
	for _, r := range job.bench.Requirements {
		if r.Assessment == "manual" || !inAnySection(r, sections) {
			continue
		}
		for _, id := range r.Controls {
			if c, ok := p.Controls[id]; ok {
				out = append(out, c)
			}
		}
	}
	return out
}

func hasManual(b *benchmarks.Benchmark, sections []string) bool {
	for _, r := range b.Requirements {
		if r.Assessment == "manual" && inAnySection(r, sections) {
			return true
		}
	}
	return false
}

func inAnySection(r benchmarks.Requirement, sections []string) bool {
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

// validateScope rejects an --account or --region that no sync has read.
// A database without any sync passes, so that check still lists the
// requirements.
func validateScope(ctx context.Context, st *store.Store, f benchmarks.Filters) error {
	if len(f.Accounts) == 0 && len(f.Regions) == 0 {
		return nil
	}
	accounts, err := syncedValues(ctx, st, "account_id")
	if err != nil {
		return err
	}
	regions, err := syncedValues(ctx, st, "region")
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		return nil
	}
	for _, a := range f.Accounts {
		if !contains(accounts, a) {
			return fmt.Errorf("no synced data for --account %q: the synced accounts are %s", a, strings.Join(accounts, ", "))
		}
	}
	for _, r := range f.Regions {
		if !contains(regions, r) {
			return fmt.Errorf("no synced data for --region %q: the synced regions are %s", r, strings.Join(regions, ", "))
		}
	}
	return nil
}

// syncedValues returns the distinct values of a column of
// stance_sync_partition, sorted. column is one of the fixed names above,
// never user input.
func syncedValues(ctx context.Context, st *store.Store, column string) ([]string, error) {
	rows, err := st.DB().QueryContext(ctx, "SELECT DISTINCT "+column+" FROM stance_sync_partition ORDER BY 1")
	if err != nil {
		return nil, fmt.Errorf("list the synced %s values: %w", column, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("list the synced %s values: %w", column, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
