package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/drift"
	"github.com/stance-cspm/stance/internal/timeparse"
)

func newBaselineCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Name known-good moments that 'stance drift --baseline' compares with",
	}
	var at string
	set := &cobra.Command{
		Use:   "set NAME",
		Short: "Name a moment as a baseline (default: the latest sync)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := g.openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			now := time.Now()
			moment := time.Time{}
			if at != "" {
				if moment, err = timeparse.Parse(at, now); err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			} else if _, moment, err = drift.LastSyncs(ctx, st.DB()); err != nil {
				return err
			}
			if err := drift.SetBaseline(ctx, st.DB(), args[0], moment, now); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "Baseline %s set at %s\n", args[0], moment.UTC().Format(time.RFC3339))
			return nil
		},
	}
	set.Flags().StringVar(&at, "at", "", "moment of the baseline: RFC 3339, a date, or an age such as 3d")

	list := &cobra.Command{
		Use:   "list",
		Short: "List baselines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := g.openReadOnly(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			baselines, err := drift.Baselines(cmd.Context(), st.DB())
			if err != nil {
				return err
			}
			if len(baselines) == 0 {
				fmt.Fprintln(g.stdout, "No baseline: create one with 'stance baseline set NAME'.")
				return nil
			}
			for _, b := range baselines {
				fmt.Fprintf(g.stdout, "%s\t%s\n", b.Name, b.At.Format(time.RFC3339))
			}
			return nil
		},
	}

	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a baseline",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := g.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			return drift.RemoveBaseline(cmd.Context(), st.DB(), args[0])
		},
	}
	cmd.AddCommand(set, list, remove)
	return cmd
}
