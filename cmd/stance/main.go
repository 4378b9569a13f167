// Command stance syncs cloud estates into a DuckDB database with history
// and runs SQL over it. See README.md.
package main

import (
	"os"

	"github.com/stance-cspm/stance/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
