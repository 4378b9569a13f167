package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "azure_resource",
		Description: "Every resource of the subscription as Azure Resource Graph returns it, whatever its type, " +
			"with its properties as JSON. The modelled azure_* tables add settings that Resource Graph does not hold.",
		Key: "id",
		Columns: append(resourceColumns("resource"),
			store.Column{Name: "type", Type: store.TypeText, Description: "Resource type in lower case, such as microsoft.storage/storageaccounts."},
			store.Column{Name: "kind", Type: store.TypeText, Description: "Kind of the resource, for types that have kinds (StorageV2, app, functionapp)."},
			store.Column{Name: "sku", Type: store.TypeJSON, Description: "SKU of the resource: name, tier, size, family and capacity as the type defines them."},
			store.Column{Name: "identity", Type: store.TypeJSON, Description: "Managed identity of the resource: type, principal id and user-assigned identities."},
			store.Column{Name: "managed_by", Type: store.TypeText, Description: "Lower-cased id of the resource that manages this one, such as the virtual machine of a disk."},
			store.Column{Name: "zones", Type: store.TypeTextList, Description: "Availability zones of the resource."},
			store.Column{Name: "properties", Type: store.TypeJSON, Description: "Properties of the resource as JSON, in the shape that the ARM API of its type returns."},
		),
	}, fetchResources)
}

// graphRow is the part of a Resource Graph row that azure_resource models.
type graphRow struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Kind       string            `json:"kind"`
	Location   string            `json:"location"`
	ManagedBy  string            `json:"managedBy"`
	Tags       map[string]string `json:"tags"`
	SKU        json.RawMessage   `json:"sku"`
	Identity   json.RawMessage   `json:"identity"`
	Zones      []string          `json:"zones"`
	Properties json.RawMessage   `json:"properties"`
}

func fetchResources(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return c.Graph.Resources(ctx, c.SubscriptionID, nil, func(raw json.RawMessage) error {
		rec, err := resourceRow(raw)
		if err != nil {
			return err
		}
		return emit(rec)
	})
}

// resourceRow builds the azure_resource record of one Resource Graph row.
func resourceRow(raw json.RawMessage) (tables.Record, error) {
	var r graphRow
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decode Resource Graph row: %w", err)
	}
	rec := tables.Record{
		"id":             LowerID(r.ID),
		"arm_id":         textOrNil(r.ID),
		"name":           textOrNil(r.Name),
		"resource_group": textOrNil(ResourceGroup(r.ID)),
		"region":         Region(r.Location),
		"type":           textOrNil(strings.ToLower(r.Type)),
		"kind":           textOrNil(r.Kind),
		"sku":            jsonOrNil(r.SKU),
		"identity":       jsonOrNil(r.Identity),
		"managed_by":     LowerID(r.ManagedBy),
		"zones":          r.Zones,
		"properties":     jsonOrNil(r.Properties),
		"tags":           r.Tags,
		"raw":            raw,
	}
	return rec, nil
}

// jsonOrNil returns nil for an absent or null JSON value, so the column is
// NULL rather than the JSON literal null.
func jsonOrNil(raw json.RawMessage) any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}
