package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newDemoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Sync a built-in demo estate into ./stance-demo.duckdb and show what it found",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fmt.Errorf("demo: not built yet")
		},
	}
}
