package cli

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/stance-cspm/stance/sync"
	syncgcp "github.com/stance-cspm/stance/sync/gcp"
	"github.com/stance-cspm/stance/tables"
	gcptables "github.com/stance-cspm/stance/tables/gcp"
)

func newSyncGCPCmd(g *globals) *cobra.Command {
	var sf syncFlags
	var opts syncgcp.Options
	var fromFiles []string
	cmd := &cobra.Command{
		Use:   "gcp",
		Short: "Read Google Cloud projects through Cloud Asset Inventory, or its export files",
		Long: `Read Google Cloud projects through the Cloud Asset Inventory ListAssets API
with Application Default Credentials (gcloud auth application-default login,
GOOGLE_APPLICATION_CREDENTIALS, or the attached service account). The
credentials need the Cloud Asset Viewer role (roles/cloudasset.viewer) on
each project, folder or organization read. Only read APIs are called.

--organization and --folder find the active projects below them, and read
each as its own scope, so that a project the credentials cannot read is a
blind spot while the others are read. They also read the IAM and
organization policies of the folders and organization, which the
projects inherit.

--from-file reads Cloud Asset Inventory exports instead: the newline-
delimited JSON that 'gcloud asset export' writes, the JSON array that
'gcloud asset list --format=json' prints, or files with one asset or a
list of assets. A folder is read for its .json, .jsonl and .ndjson files.

--endpoint (or $` + syncgcp.EndpointEnv + `) points the client at another
endpoint. A loopback endpoint, such as an emulator on 127.0.0.1, is
reached over plain gRPC without credentials.

Exit status: 0 when every partition was read, 3 when some were not,
4 when none was, 130 when interrupted.`,
		Example: `  stance sync gcp --project acme-prod --project acme-dev
  stance sync gcp --organization 123456789012
  stance sync gcp --folder 345678901234 --asset-types storage.googleapis.com/Bucket
  gcloud asset export --project acme-prod --content-type resource --output-path gs://acme-cai/resources.json
  stance sync gcp --from-file ./resources.json --from-file ./iam-policies.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			opts.Logger = g.log
			if len(sf.tables) == 0 && len(opts.AssetTypes) > 0 {
				sf.tables = tablesForAssetTypes(opts.AssetTypes)
			}
			if _, err := selectTables(gcptables.Provider, sf.tables); err != nil {
				return err
			}
			var p sync.Provider
			if len(fromFiles) > 0 {
				if len(opts.Organizations)+len(opts.Folders) > 0 || opts.Endpoint != "" {
					return fmt.Errorf("--from-file reads files only: drop --organization, --folder and --endpoint (--project filters the files)")
				}
				off, err := syncgcp.NewOffline(syncgcp.OfflineOptions{
					Paths: fromFiles, Projects: opts.Projects, AssetTypes: opts.AssetTypes, Logger: g.log,
				})
				if err != nil {
					return err
				}
				defer off.Close()
				p = off
			} else {
				live, err := syncgcp.NewLive(ctx, opts)
				if err != nil {
					return err
				}
				defer live.Close()
				p = live
			}
			return g.runSync(ctx, p, sf)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Organizations, "organization", nil, "numeric ID of an organization whose projects to read (repeatable)")
	f.StringArrayVar(&opts.Folders, "folder", nil, "numeric ID of a folder whose projects to read (repeatable)")
	f.StringArrayVar(&opts.Projects, "project", nil, "ID of a project to read (repeatable); with --from-file, limits the import to it")
	f.StringSliceVar(&opts.AssetTypes, "asset-types", nil,
		"asset types to read, comma-separated, such as storage.googleapis.com/Bucket: gcp_asset gets one partition per type, "+
			"and only the tables of those types are read unless --tables says otherwise")
	f.StringVar(&opts.Endpoint, "endpoint", "", "host:port of the Cloud Asset Inventory API (default: $"+syncgcp.EndpointEnv+", else Google's)")
	f.Int32Var(&opts.PageSize, "page-size", 500, "assets per ListAssets page, 1 to 1000")
	f.IntVar(&opts.MaxAttempts, "max-attempts", 8, "attempts per page request before RESOURCE_EXHAUSTED or UNAVAILABLE fails the partition")
	f.StringArrayVar(&fromFiles, "from-file", nil, "read a Cloud Asset Inventory export file or a folder of them instead of calling the API (repeatable)")
	addSyncFlags(cmd, &sf)
	return cmd
}

// tablesForAssetTypes returns gcp_asset and the GCP tables that read any
// of the asset types.
func tablesForAssetTypes(assetTypes []string) []string {
	out := []string{"gcp_asset"}
	for _, t := range tables.ByProvider(gcptables.Provider) {
		for _, typ := range gcptables.AssetTypes(t.Name) {
			if slices.Contains(assetTypes, typ) {
				out = append(out, t.Name)
				break
			}
		}
	}
	return out
}
