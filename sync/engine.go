// Package sync copies cloud resources into the store. The engine is
// provider-neutral. A Provider lists the accounts and regions to read and
// classifies its errors, and the tables package supplies fetch functions.
// The engine fans out over account x region x table, stages the rows of
// every partition that completed, and merges them into history.
package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	gosync "sync"
	"time"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

// Scope is one account with the regions to read in it.
type Scope struct {
	AccountID string
	Regions   []string
	// Client returns the provider's client handle for a region of this
	// account ("global" included).
	Client func(region string) (any, error)
	// Err, when set, means the account could not be reached (a role that
	// could not be assumed, say): all its partitions become blind spots.
	Err error
}

// Provider is the engine's view of one cloud.
type Provider interface {
	// Name returns the provider's name, the prefix of its tables ("aws").
	Name() string
	// Source describes where the data comes from, for the run record
	// ("live", "dir:/path").
	Source() string
	// Scopes returns the accounts and regions to read.
	Scopes(ctx context.Context) ([]Scope, error)
	// Classify maps a fetch error to a partition status (store.StatusBlindSpot
	// or store.StatusFailed) and a short error code such as "AccessDenied".
	Classify(err error) (status, code string)
}

// Options tune a sync run.
type Options struct {
	// Tables limits the run to these tables; empty means every table of the
	// provider.
	Tables []*tables.Table
	// Concurrency is the number of partitions fetched at once (default 16).
	Concurrency int
	// Now returns the current time; tests pass a fake clock.
	Now func() time.Time
	// Progress, when set, is called for every partition that finishes.
	Progress func(done, total int, rec store.PartitionRecord)
	Logger   *slog.Logger
}

// Result is the outcome of a sync run.
type Result struct {
	RunID      int64
	SyncTime   time.Time
	Summary    store.RunSummary
	Partitions []store.PartitionRecord
}

// Failed returns the partitions that did not complete, sorted.
func (r *Result) Failed() []store.PartitionRecord {
	var out []store.PartitionRecord
	for _, p := range r.Partitions {
		if p.Status != store.StatusOK {
			out = append(out, p)
		}
	}
	return out
}

type job struct {
	table  *tables.Table
	target tables.Target
	client func(region string) (any, error)
	err    error
}

// batchRows is the number of rows that a fetch hands to the writer at once.
// Rows in memory are bounded by about Concurrency x batchRows, whatever the
// size of a partition.
const batchRows = 250

// fetched is one message from a fetch: a batch of rows, or, when last is
// set, the partition's outcome with its final rows.
type fetched struct {
	job  job
	rows []store.Row
	last bool
	rec  store.PartitionRecord
}

// partitionName returns the name that history stores in _partition.
func (j job) partitionName() string { return j.target.AccountID + "/" + j.target.Region }

// Run syncs one provider into the store.
func Run(ctx context.Context, st *store.Store, p Provider, opts Options) (*Result, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	tbls := opts.Tables
	if len(tbls) == 0 {
		tbls = tables.ByProvider(p.Name())
	}
	if len(tbls) == 0 {
		return nil, fmt.Errorf("no tables to sync for provider %s", p.Name())
	}
	for _, t := range tbls {
		if err := st.EnsureTable(ctx, t.Schema()); err != nil {
			return nil, err
		}
	}

	runID, syncTime, err := st.BeginRun(ctx, p.Name(), p.Source(), opts.Now())
	if err != nil {
		return nil, err
	}
	res := &Result{RunID: runID, SyncTime: syncTime}
	log.Info("sync started", "provider", p.Name(), "source", p.Source(), "run_id", runID, "tables", len(tbls))

	scopes, err := p.Scopes(ctx)
	if err != nil {
		res.Summary = store.RunSummary{Status: store.RunFailed, Error: err.Error()}
		if ferr := st.FinishRun(context.WithoutCancel(ctx), runID, res.Summary); ferr != nil {
			log.Error("record failed sync run", "run_id", runID, "error", ferr)
		}
		return res, fmt.Errorf("list accounts and regions: %w", err)
	}
	jobs := planJobs(p.Name(), scopes, tbls)

	writer, err := st.NewWriter(ctx, runID, syncTime)
	if err != nil {
		return nil, err
	}
	defer writer.Close()

	results := make(chan fetched)
	go fetchAll(ctx, p, jobs, opts.Concurrency, opts.Now, results)

	// Write rows as they arrive. Writing uses a context that Ctrl-C does
	// not cancel: partitions that completed are kept. After a write error
	// nothing more is written, and the partitions that completed later are
	// recorded as failed.
	stageCtx := context.WithoutCancel(ctx)
	var stageErr, mergeErr error
	completed := map[string][]string{}
	sum := &res.Summary
	merged := map[string]bool{}
	merge := func(t *tables.Table) {
		merged[t.Name] = true
		stats, err := writer.Merge(stageCtx, t.Schema(), completed[t.Name])
		if err != nil {
			// The other tables are still written: a failed merge
			// affects only its own table.
			mergeErr = errors.Join(mergeErr, err)
			markFailed(res.Partitions, t.Name, err)
			return
		}
		sum.VersionsAdded += stats.VersionsAdded
		sum.VersionsClosed += stats.VersionsClosed
	}
	// unfinished counts the partitions of each table still being fetched.
	// A table is merged as soon as its last partition finishes.
	unfinished := map[string]int{}
	for _, j := range jobs {
		unfinished[j.table.Name]++
	}
	written := map[string]bool{}
	// rejected holds the partitions with a row that the writer rejected.
	// Their later batches are dropped, and they fail like a failed fetch.
	// NOTE: their fetch still runs to its end.
	rejected := map[string]error{}
	done := 0
	for f := range results {
		sc := f.job.table.Schema()
		partition := f.job.partitionName()
		id := f.job.table.Name + "\x00" + partition
		if len(f.rows) > 0 && stageErr == nil && rejected[id] == nil && (!f.last || f.rec.Status == store.StatusOK) {
			var invalid *store.InvalidRowError
			if err := writer.Append(stageCtx, sc, partition, f.rows); errors.As(err, &invalid) {
				rejected[id] = err
			} else if err != nil {
				stageErr = err
			}
			written[id] = true
		}
		if !f.last {
			continue
		}
		done++
		if err := rejected[id]; err != nil && f.rec.Status == store.StatusOK {
			status, code := p.Classify(err)
			f.rec.Status, f.rec.ErrorCode, f.rec.Error, f.rec.Rows = status, code, err.Error(), 0
		}
		delete(rejected, id)
		switch {
		case f.rec.Status == store.StatusOK && stageErr != nil:
			f.rec.Status, f.rec.ErrorCode, f.rec.Error = store.StatusFailed, "StoreError", stageErr.Error()
		case f.rec.Status == store.StatusOK:
			completed[f.job.table.Name] = append(completed[f.job.table.Name], partition)
		case written[id] && stageErr == nil:
			if err := writer.Discard(stageCtx, sc, partition); err != nil {
				stageErr = err
			}
		}
		delete(written, id)
		logPartition(log, f.rec)
		res.Partitions = append(res.Partitions, f.rec)
		if opts.Progress != nil {
			opts.Progress(done, len(jobs), f.rec)
		}
		if unfinished[f.job.table.Name]--; unfinished[f.job.table.Name] == 0 {
			merge(f.job.table)
		}
	}

	// Merge the tables whose partitions did not all finish, such as after
	// Ctrl-C.
	for _, t := range tbls {
		if !merged[t.Name] {
			merge(t)
		}
	}

	stageErr = errors.Join(stageErr, mergeErr)
	sortPartitions(res.Partitions)
	for _, r := range res.Partitions {
		sum.PartitionsTotal++
		sum.RowsFetched += r.Rows
		switch r.Status {
		case store.StatusOK:
			sum.PartitionsOK++
		case store.StatusBlindSpot:
			sum.PartitionsBlindSpot++
		default:
			sum.PartitionsFailed++
		}
	}
	switch {
	case ctx.Err() != nil:
		sum.Status, sum.Error = store.RunCancelled, "interrupted: "+ctx.Err().Error()
	case sum.PartitionsOK == 0:
		sum.Status = store.RunFailed
	case sum.PartitionsOK < sum.PartitionsTotal:
		sum.Status = store.RunPartial
	default:
		sum.Status = store.RunOK
	}
	if stageErr != nil {
		sum.Error = stageErr.Error()
	}
	if err := st.RecordPartitions(stageCtx, runID, res.Partitions); err != nil {
		return res, err
	}
	if err := st.FinishRun(stageCtx, runID, *sum); err != nil {
		return res, err
	}
	log.Info("sync finished", "provider", p.Name(), "run_id", runID, "status", sum.Status,
		"partitions", sum.PartitionsTotal, "blind_spots", sum.PartitionsBlindSpot, "failed", sum.PartitionsFailed,
		"rows", sum.RowsFetched, "versions_added", sum.VersionsAdded, "versions_closed", sum.VersionsClosed)
	if stageErr != nil {
		return res, fmt.Errorf("write sync results: %w", stageErr)
	}
	return res, nil
}

// planJobs lists the partitions table by table, so that each table's
// partitions finish close together and its writes are merged and released
// early. Writing many tables at once would hold all their open keys and
// uncommitted rows in memory.
func planJobs(provider string, scopes []Scope, tbls []*tables.Table) []job {
	var jobs []job
	for _, t := range tbls {
		for _, sc := range scopes {
			regions := sc.Regions
			if t.Global {
				regions = []string{tables.GlobalRegion}
			}
			for _, region := range regions {
				jobs = append(jobs, job{
					table:  t,
					target: tables.Target{Provider: provider, AccountID: sc.AccountID, Region: region},
					client: sc.Client,
					err:    sc.Err,
				})
			}
		}
	}
	return jobs
}

// fetchAll runs the jobs with at most limit at once and sends each outcome
// on out, which it closes when all are done. Jobs not started when ctx is
// cancelled are reported as cancelled.
func fetchAll(ctx context.Context, p Provider, jobs []job, limit int, now func() time.Time, out chan<- fetched) {
	sem := make(chan struct{}, limit)
	var wg gosync.WaitGroup
	for _, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			t := now()
			out <- fetched{job: j, last: true, rec: record(j, t, t, store.StatusCancelled, 0, "Cancelled", "sync interrupted before this partition started")}
			continue
		}
		wg.Add(1)
		go func(j job) {
			defer wg.Done()
			defer func() { <-sem }()
			fetchOne(ctx, p, j, now, out)
		}(j)
	}
	wg.Wait()
	close(out)
}

// fetchOne fetches one partition and sends its rows on out in batches,
// then its outcome. The rows of a partition that fails must not be kept,
// so the receiver discards the batches it already wrote.
func fetchOne(ctx context.Context, p Provider, j job, now func() time.Time, out chan<- fetched) {
	start := now()
	var rows []store.Row
	var count int64
	finish := func(rec store.PartitionRecord) {
		if rec.Status != store.StatusOK {
			rows = nil
		}
		out <- fetched{job: j, rows: rows, last: true, rec: rec}
	}
	defer func() {
		if r := recover(); r != nil {
			finish(record(j, start, now(), store.StatusFailed, 0, "Panic", fmt.Sprintf("fetch panicked: %v", r)))
		}
	}()
	err := j.err
	var client any
	if err == nil {
		client, err = j.client(j.target.Region)
	}
	if err == nil {
		target := j.target
		target.Client = client
		err = j.table.Fetch(ctx, target, func(rec tables.Record) error {
			row, err := j.table.Row(target, rec)
			if err != nil {
				return err
			}
			rows = append(rows, row)
			count++
			if len(rows) == batchRows {
				out <- fetched{job: j, rows: rows}
				rows = make([]store.Row, 0, batchRows)
			}
			return ctx.Err()
		})
	}
	if err != nil {
		status, code := p.Classify(err)
		if ctx.Err() != nil {
			status, code = store.StatusCancelled, "Cancelled"
		}
		finish(record(j, start, now(), status, 0, code, err.Error()))
		return
	}
	finish(record(j, start, now(), store.StatusOK, count, "", ""))
}

func record(j job, start, end time.Time, status string, rows int64, code, msg string) store.PartitionRecord {
	return store.PartitionRecord{
		Provider: j.target.Provider, Table: j.table.Name, AccountID: j.target.AccountID, Region: j.target.Region,
		StartedAt: start, FinishedAt: end, Status: status, Rows: rows, ErrorCode: code, Error: msg,
	}
}

func logPartition(log *slog.Logger, r store.PartitionRecord) {
	attrs := []any{"table", r.Table, "account_id", r.AccountID, "region", r.Region,
		"status", r.Status, "rows", r.Rows, "duration", r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond)}
	switch r.Status {
	case store.StatusOK:
		log.Debug("partition synced", attrs...)
	case store.StatusBlindSpot:
		log.Warn("partition not readable, recorded as a blind spot", append(attrs, "code", r.ErrorCode, "error", r.Error)...)
	case store.StatusCancelled:
		log.Info("partition not read: sync interrupted", attrs...)
	default:
		log.Error("partition failed", append(attrs, "code", r.ErrorCode, "error", r.Error)...)
	}
}

func markFailed(recs []store.PartitionRecord, table string, err error) {
	for i := range recs {
		if recs[i].Table == table && recs[i].Status == store.StatusOK {
			recs[i].Status, recs[i].ErrorCode, recs[i].Error = store.StatusFailed, "StoreError", err.Error()
		}
	}
}

func sortPartitions(recs []store.PartitionRecord) {
	sort.Slice(recs, func(i, j int) bool {
		a, b := recs[i], recs[j]
		if a.AccountID != b.AccountID {
			return a.AccountID < b.AccountID
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Table < b.Table
	})
}
