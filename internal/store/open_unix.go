//go:build unix

package store

import (
	"syscall"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// openRestricted opens the database with a umask that gives new files mode
// 0600, so the database is never readable by others, not even briefly.
// NOTE: the umask is process-wide, so a file that another goroutine creates
// during this call also gets the restricted mode.
func openRestricted(path string) (*duckdb.Connector, error) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	return duckdb.NewConnector(path, nil)
}
