//go:build !unix

package store

import duckdb "github.com/duckdb/duckdb-go/v2"

func openRestricted(path string) (*duckdb.Connector, error) {
	return duckdb.NewConnector(path, nil)
}
