package gcp

import (
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/stance-cspm/stance/internal/store"
)

// classify maps a fetch error to a partition status and an error code.
// Permission and not-found errors mean the project cannot be read with
// these credentials: a gap in coverage, not a failure of the sync.
// Throttling and unavailability that outlast the retries are failures.
func classify(err error) (string, string) {
	var withStatus interface{ GRPCStatus() *status.Status }
	if errors.As(err, &withStatus) {
		switch withStatus.GRPCStatus().Code() {
		case codes.PermissionDenied:
			return store.StatusBlindSpot, "PermissionDenied"
		case codes.NotFound:
			return store.StatusBlindSpot, "NotFound"
		case codes.Unauthenticated:
			return store.StatusFailed, "Unauthenticated"
		case codes.ResourceExhausted:
			return store.StatusFailed, "ResourceExhausted"
		case codes.Unavailable:
			return store.StatusFailed, "Unavailable"
		case codes.DeadlineExceeded:
			return store.StatusFailed, "DeadlineExceeded"
		case codes.InvalidArgument:
			return store.StatusFailed, "InvalidArgument"
		}
		return store.StatusFailed, withStatus.GRPCStatus().Code().String()
	}
	return store.StatusFailed, "Error"
}
