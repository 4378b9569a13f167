package cli

import (
	"fmt"
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/internal/render"
	"github.com/stance-cspm/stance/tables"
)

func newTablesCmd(g *globals) *cobra.Command {
	var columns bool
	var format string
	cmd := &cobra.Command{
		Use:   "tables [PATTERN]",
		Short: "List the resource tables, their columns and descriptions",
		Example: `  stance tables
  stance tables 'aws_iam_*' --columns`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pattern := "*"
			if len(args) == 1 {
				pattern = args[0]
				if !strings.ContainsAny(pattern, "*?[") {
					pattern = "*" + pattern + "*"
				}
			}
			var res render.Result
			if columns {
				res.Columns = []string{"table", "column", "type", "description"}
			} else {
				res.Columns = []string{"table", "columns", "description"}
			}
			for _, t := range tables.All() {
				ok, err := path.Match(pattern, t.Name)
				if err != nil {
					return fmt.Errorf("invalid pattern %q: %w", pattern, err)
				}
				if !ok {
					continue
				}
				sc := t.Schema()
				if !columns {
					res.Rows = append(res.Rows, []any{t.Name, int64(len(sc.Columns)), t.Description})
					continue
				}
				for _, c := range sc.Columns {
					res.Rows = append(res.Rows, []any{t.Name, c.Name, c.Type, c.Description})
				}
			}
			if len(res.Rows) == 0 {
				return fmt.Errorf("no table matches %q", pattern)
			}
			return render.Write(g.stdout, format, res, render.Options{MaxWidth: 100})
		},
	}
	cmd.Flags().BoolVar(&columns, "columns", false, "list every column with its type and description")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: "+strings.Join(render.Formats, ", "))
	return cmd
}
