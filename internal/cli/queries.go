package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/queries"
)

func newQueriesCmd(g *globals) *cobra.Command {
	var format string
	var showSQL bool
	cmd := &cobra.Command{
		Use:     "queries",
		Short:   "List the named queries that 'stance query --named' runs",
		Example: "  stance queries\n  stance query --named aws_s3_public_buckets",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all, err := queries.All()
			if err != nil {
				return err
			}
			res := render.Result{Columns: []string{"name", "title"}}
			if showSQL {
				res.Columns = append(res.Columns, "sql")
			}
			for _, q := range all {
				row := []any{q.Name, q.Title}
				if showSQL {
					row = append(row, q.SQL)
				}
				res.Rows = append(res.Rows, row)
			}
			return render.Write(g.stdout, format, res, render.Options{MaxWidth: 100})
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(render.Formats, ", "))
	cmd.Flags().BoolVar(&showSQL, "sql", false, "show each query's SQL")
	return cmd
}
