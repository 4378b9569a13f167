// Package store keeps stance's DuckDB database: resource tables with their
// version history, the records of sync runs and partitions, and the
// time-travel setting that every present-state view reads.
//
// The store knows no cloud provider. Callers describe a table with Schema
// and hand rows to a Stager; the store merges them into history in SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Store is an open stance database.
type Store struct {
	path      string
	connector *duckdb.Connector
	db        *sql.DB
}

// DefaultPath returns the database path used when neither --db nor
// STANCE_DB is set: $XDG_DATA_HOME/stance/stance.duckdb, with
// ~/.local/share standing in for an unset XDG_DATA_HOME.
func DefaultPath() (string, error) {
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the default database: set --db or STANCE_DB: %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "stance", "stance.duckdb"), nil
}

// Open opens the database at path, creating it and its parent folder when
// they do not exist. The folder is created 0700 and the database file 0600,
// because the database holds the configuration of the whole estate.
// An empty path opens a private in-memory database.
func Open(ctx context.Context, path string) (*Store, error) {
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create database folder for %s: %w", path, err)
		}
	}
	connector, err := openRestricted(path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{path: path, connector: connector, db: sql.OpenDB(connector)}
	if path != "" {
		if err := restrictFiles(path); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.limitMemory(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// DefaultMemoryLimit bounds DuckDB's memory, so that a sync of a large
// estate spills to disk instead of growing without bound; DuckDB's own
// default is 80% of the machine's memory. STANCE_MEMORY_LIMIT overrides it
// with any size DuckDB accepts, such as "4GB".
//
// The value keeps a sync of one million rows under 1.5 GB of RSS with a
// margin, because the Go heap and DuckDB's memory outside its buffer
// manager come on top of the limit. In BenchmarkSync of package sync, on 2
// cores, peak RSS was 1,088 to 1,240 MiB with 640MB, 1,285 to 1,437 MiB
// with 768MB and 1,413 to 1,535 MiB with 1GB. The sync was no slower with
// 640MB. BenchmarkCISv6 of package benchmarks, the CIS AWS pack over one
// million resources, gave the same results at about the same speed.
// docs/BENCHMARKS.md has the runs.
const DefaultMemoryLimit = "640MB"

func (s *Store) limitMemory(ctx context.Context) error {
	limit := os.Getenv("STANCE_MEMORY_LIMIT")
	if limit == "" {
		limit = DefaultMemoryLimit
	}
	if _, err := s.db.ExecContext(ctx, "SET memory_limit = ?", limit); err != nil {
		return fmt.Errorf("invalid STANCE_MEMORY_LIMIT %q: use a size such as 2GB: %w", limit, err)
	}
	return nil
}

// CheckExists returns an error that names the fix when no database file
// exists at path.
func CheckExists(path string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no database at %s: run 'stance sync' or 'stance demo' first, or point --db or STANCE_DB at an existing database", path)
		}
		return fmt.Errorf("open database %s: %w", path, err)
	}
	return nil
}

// OpenReadOnly opens an existing database for reading only, so that an
// ad-hoc query can never change stored history. It fails when the file
// does not exist instead of creating an empty database.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	if err := CheckExists(path); err != nil {
		return nil, err
	}
	if strings.ContainsAny(path, "?#%") {
		return nil, fmt.Errorf("open database %s: a path with ?, # or %% cannot be opened read-only: rename the file", path)
	}
	connector, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", nil)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &Store{path: path, connector: connector, db: sql.OpenDB(connector)}, nil
}

// restrictFiles sets mode 0600 on the database and its write-ahead log, for
// files that an older version or another tool created with a wider mode.
func restrictFiles(path string) error {
	for _, p := range []string{path, path + ".wal"} {
		err := os.Chmod(p, 0o600)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restrict permissions of %s: %w", p, err)
		}
	}
	return nil
}

// Path returns the database file path, or "" for an in-memory database.
func (s *Store) Path() string { return s.path }

// DB returns the database handle for queries.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if cerr := s.connector.Close(); err == nil {
		err = cerr
	}
	return err
}

// Conn returns a dedicated connection. Session settings such as the
// time-travel moment (SetAt) and temporary tables live on one connection.
func (s *Store) Conn(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open database connection: %w", err)
	}
	return conn, nil
}

// SetAt makes every present-state view on conn show the estate as it was at
// the given moment. A zero time returns the views to the present.
func SetAt(ctx context.Context, conn *sql.Conn, at time.Time) error {
	var err error
	if at.IsZero() {
		_, err = conn.ExecContext(ctx, "RESET VARIABLE "+AtVariable)
	} else {
		_, err = conn.ExecContext(ctx, "SET VARIABLE "+AtVariable+" = ?::TIMESTAMPTZ", at.UTC())
	}
	if err != nil {
		return fmt.Errorf("set time-travel moment: %w", err)
	}
	return nil
}
