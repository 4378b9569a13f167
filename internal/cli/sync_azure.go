package cli

import (
	"github.com/spf13/cobra"

	syncazure "github.com/stance-cspm/stance/sync/azure"
	aztables "github.com/stance-cspm/stance/tables/azure"
)

func newSyncAzureCmd(g *globals) *cobra.Command {
	var sf syncFlags
	var opts syncazure.Options
	cmd := &cobra.Command{
		Use:   "azure",
		Short: "Read Azure subscriptions through Resource Graph and the ARM APIs",
		Long: `Read Azure subscriptions with DefaultAzureCredential (environment
variables, workload identity, managed identity, Azure CLI). Inventory comes
from Azure Resource Graph, and settings that Resource Graph does not hold
from the ARM read APIs. The Reader role on the subscriptions, or on a
management group above them, is enough; Key Vault keys and secrets are
read through the management plane, which never returns their values.

Without --subscription or --management-group, every subscription the
identity can list is read. A subscription that answers 403 is recorded
as a blind spot, and the rest of the run goes on.

STANCE_AZURE_ENDPOINT (or --cloud-endpoint) sets another ARM endpoint, and
STANCE_AZURE_ACCESS_TOKEN a ready bearer token instead of
DefaultAzureCredential.

Exit status: 0 when every partition was read, 3 when some were not,
4 when none was, 130 when interrupted.`,
		Example: `  stance sync azure
  stance sync azure --subscription 00000000-0000-0000-0000-000000000001 --subscription 00000000-0000-0000-0000-000000000002
  stance sync azure --tenant contoso.onmicrosoft.com --management-group platform
  stance sync azure --tables 'azure_storage_*,azure_key_vault*'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Logger = g.log
			if _, err := selectTables(aztables.Provider, sf.tables); err != nil {
				return err
			}
			live, err := syncazure.NewLive(opts)
			if err != nil {
				return err
			}
			return g.runSync(cmd.Context(), live, sf)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.TenantID, "tenant", "", "Microsoft Entra tenant id or domain to authenticate in and read (default: the credential's home tenant)")
	f.StringArrayVar(&opts.Subscriptions, "subscription", nil, "subscription id to read; repeat for more (default: every subscription the identity can list)")
	f.StringArrayVar(&opts.ManagementGroups, "management-group", nil, "management group id whose descendant subscriptions are read; repeatable")
	f.StringVar(&opts.Cloud, "cloud", "AzurePublic", "Azure cloud: AzurePublic, AzureChina or AzureGovernment")
	f.StringVar(&opts.Endpoint, "cloud-endpoint", "", "ARM endpoint URL, https only (default: $"+syncazure.EndpointEnv+", else the endpoint of --cloud)")
	f.IntVar(&opts.MaxRetries, "max-retries", 6, "retries per request after a throttled (429) or failing (5xx) response")
	f.IntVar(&opts.Concurrency, "calls-per-partition", 8, "per-resource ARM calls run at once inside one partition")
	addSyncFlags(cmd, &sf)
	return cmd
}
