package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Partition statuses recorded in stance_sync_partition.
const (
	StatusOK        = "ok"         // fetched completely and merged
	StatusBlindSpot = "blind_spot" // not readable (access denied, region not enabled, ...): a coverage gap
	StatusFailed    = "failed"     // an unexpected error; last known rows kept
	StatusCancelled = "cancelled"  // interrupted before it completed; last known rows kept
)

// Run statuses recorded in stance_sync_run.
const (
	RunRunning   = "running"
	RunOK        = "ok"
	RunPartial   = "partial"
	RunFailed    = "failed"
	RunCancelled = "cancelled"
)

// PartitionRecord is the outcome of fetching one table in one account and
// region.
type PartitionRecord struct {
	Provider   string
	Table      string
	AccountID  string
	Region     string
	StartedAt  time.Time
	FinishedAt time.Time
	Status     string
	Rows       int64
	ErrorCode  string
	Error      string
}

// RunSummary is the outcome of a whole sync run.
type RunSummary struct {
	Status              string
	PartitionsTotal     int64
	PartitionsOK        int64
	PartitionsBlindSpot int64
	PartitionsFailed    int64
	RowsFetched         int64
	VersionsAdded       int64
	VersionsClosed      int64
	Error               string
}

// BeginRun records the start of a sync run and returns its id and sync
// time. The sync time is now, moved past the latest recorded sync time when
// the clock is behind it, so that validity intervals never run backwards.
func (s *Store) BeginRun(ctx context.Context, provider, source string, now time.Time) (int64, time.Time, error) {
	var last sql.NullTime
	if err := s.db.QueryRowContext(ctx, `SELECT max(sync_time) FROM stance_sync_run`).Scan(&last); err != nil {
		return 0, time.Time{}, fmt.Errorf("read last sync time: %w", err)
	}
	syncTime := now.UTC().Truncate(time.Microsecond)
	if last.Valid && !syncTime.After(last.Time) {
		syncTime = last.Time.UTC().Add(time.Microsecond)
	}
	var runID int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO stance_sync_run (run_id, provider, source, sync_time, started_at, status)
		VALUES (nextval('stance_sync_run_seq'), ?, ?, ?, ?, ?) RETURNING run_id`,
		provider, source, syncTime, time.Now().UTC(), RunRunning).Scan(&runID)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("record sync run: %w", err)
	}
	return runID, syncTime, nil
}

// RecordPartitions stores the outcome of partitions of a run.
func (s *Store) RecordPartitions(ctx context.Context, runID int64, records []PartitionRecord) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record partitions: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO stance_sync_partition VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("record partitions: %w", err)
	}
	defer stmt.Close()
	for _, r := range records {
		duration := r.FinishedAt.Sub(r.StartedAt).Milliseconds()
		if _, err := stmt.ExecContext(ctx, runID, r.Provider, r.Table, r.AccountID, r.Region,
			r.StartedAt.UTC(), r.FinishedAt.UTC(), duration, r.Status, r.Rows,
			nullString(r.ErrorCode), nullString(r.Error)); err != nil {
			return fmt.Errorf("record partition %s %s/%s: %w", r.Table, r.AccountID, r.Region, err)
		}
	}
	return tx.Commit()
}

// FinishRun records the end of a sync run.
func (s *Store) FinishRun(ctx context.Context, runID int64, sum RunSummary) error {
	_, err := s.db.ExecContext(ctx, `UPDATE stance_sync_run SET finished_at = ?, status = ?,
		partitions_total = ?, partitions_ok = ?, partitions_blind_spot = ?, partitions_failed = ?,
		rows_fetched = ?, versions_added = ?, versions_closed = ?, error = ?
		WHERE run_id = ?`,
		time.Now().UTC(), sum.Status, sum.PartitionsTotal, sum.PartitionsOK, sum.PartitionsBlindSpot,
		sum.PartitionsFailed, sum.RowsFetched, sum.VersionsAdded, sum.VersionsClosed, nullString(sum.Error), runID)
	if err != nil {
		return fmt.Errorf("record end of sync run %d: %w", runID, err)
	}
	return nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
