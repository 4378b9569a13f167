package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/sql/armsql"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_sql_database",
		Description: "Databases of Azure SQL logical servers with their Transparent Data Encryption state. The master database is left out.",
		Key:         "id",
		// Serverless databases pause and resume on their own.
		IgnoreInDrift: []string{"raw.properties.pausedDate", "raw.properties.resumedDate"},
		Columns: append(resourceColumns("database"),
			store.Column{Name: "server_id", Type: store.TypeText, Description: "Lower-cased id of the server; joins azure_sql_server.id."},
			store.Column{Name: "server_name", Type: store.TypeText, Description: "Name of the server."},
			store.Column{Name: "status", Type: store.TypeText, Description: "Status of the database, such as Online or Paused."},
			store.Column{Name: "sku_name", Type: store.TypeText, Description: "Service objective, such as GP_Gen5_2 or S0."},
			store.Column{Name: "zone_redundant", Type: store.TypeBool, Description: "True when the database is spread over availability zones."},
			store.Column{Name: "creation_date", Type: store.TypeTimestamp, Description: "Time the database was created."},
			store.Column{Name: "transparent_data_encryption_state", Type: store.TypeText, Description: "Transparent Data Encryption: Enabled or Disabled; NULL when it could not be read."},
		),
	}, fetchSQLDatabases)
}

func fetchSQLDatabases(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	databases, err := graphResources[armsql.Database](ctx, c, "microsoft.sql/servers/databases")
	if err != nil {
		return err
	}
	tde, err := armsql.NewTransparentDataEncryptionsClient(c.SubscriptionID, c.Credential, c.Options)
	if err != nil {
		return fmt.Errorf("create SQL TDE client: %w", err)
	}
	var user []*armsql.Database
	for _, d := range databases {
		// master is a system database that users cannot configure.
		if !strings.EqualFold(deref(d.Name), "master") {
			user = append(user, d)
		}
	}
	return eachConcurrently(ctx, c.concurrency(), user, func(ctx context.Context, d *armsql.Database, emit func(tables.Record) error) error {
		id := deref(d.ID)
		server := idSegment(id, "servers")
		resp, err := tde.Get(ctx, ResourceGroup(id), server, deref(d.Name), armsql.TransparentDataEncryptionNameCurrent, nil)
		if resourceGone(err) {
			skipGone("SQL database", id, err)
			return nil
		}
		if err != nil {
			return fmt.Errorf("get TDE state of SQL database %s/%s: %w", server, deref(d.Name), err)
		}
		return emit(sqlDatabaseRow(d, &resp.LogicalDatabaseTransparentDataEncryption))
	}, emit)
}

// sqlDatabaseRow builds the azure_sql_database record of a database and
// its TDE setting (nil when unknown).
func sqlDatabaseRow(d *armsql.Database, tde *armsql.LogicalDatabaseTransparentDataEncryption) tables.Record {
	rec := resourceRecord(d.ID, d.Name, d.Location, d.Tags)
	id := deref(d.ID)
	rec["server_id"] = LowerID(parentID(id))
	rec["server_name"] = textOrNil(idSegment(id, "servers"))
	if d.SKU != nil {
		rec["sku_name"] = d.SKU.Name
	}
	if p := d.Properties; p != nil {
		rec["status"] = p.Status
		rec["zone_redundant"] = p.ZoneRedundant
		rec["creation_date"] = p.CreationDate
	}
	if tde != nil && tde.Properties != nil {
		rec["transparent_data_encryption_state"] = tde.Properties.State
	}
	rec["raw"] = d
	return rec
}
