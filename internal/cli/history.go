package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/drift"
	"github.com/stance-cspm/stance/internal/render"
)

func newHistoryCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "history RESOURCE",
		Short: "Show every version of one resource and the fields changed at each step",
		Long: `Print every stored version of one resource, with the interval in which
each version was valid and the fields that changed from the version
before. Removed resources keep their history.

RESOURCE is matched first as an exact _key or value of the table's key
column (an ARN), then as the last segment of that key (a bucket name, an
instance ID) or as a name or ID column of the resource itself (such as
the group_id and group_name of a security group). When several resources
match, stance lists their _key values: run the command again with one.`,
		Example: `  stance history arn:aws:s3:::example-bucket
  stance history example-bucket
  stance history sg-0123456789abcdef0
  stance history 111122223333/arn:aws:iam::111122223333:role/OrganizationAccountAccessRole`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openReadOnly(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			versions, err := drift.Timeline(cmd.Context(), st.DB(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%s in %s: %d version(s)\n", render.Sanitize(versions[0].Key), versions[0].Table, len(versions))
			for i, v := range versions {
				end := "now"
				if v.ValidTo != nil {
					end = v.ValidTo.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(g.stdout, "\n%d. %s to %s\n", i+1, v.ValidFrom.Format(time.RFC3339), end)
				if i == 0 {
					fmt.Fprintln(g.stdout, "    first seen")
				}
				for _, f := range v.Fields {
					fmt.Fprintf(g.stdout, "    %s: %s -> %s\n", render.Sanitize(f.Path), fieldText(f.Old), fieldText(f.New))
				}
			}
			if last := versions[len(versions)-1]; last.ValidTo != nil {
				fmt.Fprintf(g.stdout, "\nGone since %s\n", last.ValidTo.UTC().Format(time.RFC3339))
			}
			return nil
		},
	}
}

// fieldText returns a JSON value for the terminal, "(none)" when absent.
func fieldText(v []byte) string {
	if v == nil {
		return "(none)"
	}
	return render.Sanitize(string(v))
}
