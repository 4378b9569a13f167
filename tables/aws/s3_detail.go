package aws

import (
	"context"
	"encoding/json"

	"golang.org/x/sync/errgroup"

	"github.com/stance-cspm/stance/tables"
)

// This file holds the helpers that the S3, KMS and CloudTrail tables share
// for their per-resource detail calls.

// detailOutcome is the result of a per-resource detail call, such as
// GetBucketPolicy for one bucket.
type detailOutcome int

const (
	// detailFound means the call returned the setting.
	detailFound detailOutcome = iota
	// detailAbsent means the resource has no such setting, which is a fact
	// worth storing (a bucket without a policy).
	detailAbsent
	// detailUnknown means the setting could not be read: access was denied
	// or an offline source lacks the file. Its columns stay NULL.
	detailUnknown
)

// accessDeniedCodes are the error codes with which AWS services deny a call.
var accessDeniedCodes = []string{"AccessDenied", "AccessDeniedException"}

// classifyDetail sorts the error of a detail call. A nil error is
// detailFound. An error with one of absentCodes is detailAbsent. An error
// meaning "not collected", access denied or one of unknownCodes is
// detailUnknown. Any other error is returned unchanged, and the caller
// wraps it and fails the partition.
func classifyDetail(err error, absentCodes []string, unknownCodes ...string) (detailOutcome, error) {
	switch {
	case err == nil:
		return detailFound, nil
	case IsErrorCode(err, absentCodes...):
		return detailAbsent, nil
	case IsNotCollected(err), IsErrorCode(err, accessDeniedCodes...), IsErrorCode(err, unknownCodes...):
		return detailUnknown, nil
	}
	return detailUnknown, err
}

// readConcurrently calls read for every item with at most limit calls
// running at once, then emits the records in the order of items. read
// returns a nil record to drop an item, such as a bucket deleted during
// the sync. The first error cancels the other reads and is returned.
func readConcurrently[T any](ctx context.Context, limit int, items []T, read func(context.Context, T) (tables.Record, error), emit func(tables.Record) error) error {
	records := make([]tables.Record, len(items))
	group, groupCtx := errgroup.WithContext(ctx)
	group.SetLimit(limit)
	for i, item := range items {
		group.Go(func() error {
			rec, err := read(groupCtx, item)
			records[i] = rec
			return err
		})
	}
	if err := group.Wait(); err != nil {
		return err
	}

	for _, rec := range records {
		if rec == nil {
			continue
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

// jsonText turns the JSON text that PolicyJSON returns into a value that
// encodes as the document itself, not as a quoted string, inside a raw
// column. It returns nil for nil.
func jsonText(doc any) any {
	text, ok := doc.(string)
	if !ok {
		return nil
	}
	return json.RawMessage(text)
}
