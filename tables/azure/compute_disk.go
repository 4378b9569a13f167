package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_compute_disk",
		Description: "Managed disks with their size, state, owner, encryption and network access settings.",
		Key:         "id",
		// Attaching and detaching set it, and disk_state and managed_by show
		// the change already.
		IgnoreInDrift: []string{"raw.properties.LastOwnershipUpdateTime"},
		Columns: append(resourceColumns("disk"),
			store.Column{Name: "sku_name", Type: store.TypeText, Description: "Storage type: Standard_LRS, Premium_LRS, StandardSSD_LRS, UltraSSD_LRS, Premium_ZRS, StandardSSD_ZRS or PremiumV2_LRS."},
			store.Column{Name: "disk_size_gb", Type: store.TypeInt, Description: "Size of the disk in GiB."},
			store.Column{Name: "disk_state", Type: store.TypeText, Description: "State of the disk: Unattached, Attached, Reserved, ActiveSAS and others."},
			store.Column{Name: "os_type", Type: store.TypeText, Description: "Operating system of an OS disk: Linux or Windows; NULL for a data disk."},
			store.Column{Name: "managed_by", Type: store.TypeText, Description: "Lower-cased id of the virtual machine the disk is attached to; NULL when unattached."},
			store.Column{Name: "encryption_type", Type: store.TypeText, Description: "Encryption at rest: EncryptionAtRestWithPlatformKey, EncryptionAtRestWithCustomerKey or EncryptionAtRestWithPlatformAndCustomerKeys."},
			store.Column{Name: "disk_encryption_set_id", Type: store.TypeText, Description: "Lower-cased id of the disk encryption set holding the customer-managed key."},
			store.Column{Name: "encryption_settings_enabled", Type: store.TypeBool, Description: "True when Azure Disk Encryption (BitLocker or dm-crypt in the guest) is enabled."},
			store.Column{Name: "network_access_policy", Type: store.TypeText, Description: "Export and import access: AllowAll, AllowPrivate or DenyAll."},
			store.Column{Name: "public_network_access", Type: store.TypeText, Description: "Public network access for export and import: Enabled or Disabled."},
			store.Column{Name: "time_created", Type: store.TypeTimestamp, Description: "Time the disk was created."},
			store.Column{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state of the disk."},
			store.Column{Name: "zones", Type: store.TypeTextList, Description: "Availability zones of the disk."},
		),
	}, fetchDisks)
}

func fetchDisks(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	disks, err := graphResources[armcompute.Disk](ctx, c, "microsoft.compute/disks")
	if err != nil {
		return err
	}
	for _, d := range disks {
		if err := emit(diskRow(d)); err != nil {
			return err
		}
	}
	return nil
}

// diskRow builds the azure_compute_disk record of a managed disk.
func diskRow(d *armcompute.Disk) tables.Record {
	rec := resourceRecord(d.ID, d.Name, d.Location, d.Tags)
	rec["managed_by"] = LowerID(deref(d.ManagedBy))
	rec["zones"] = stringList(d.Zones)
	if d.SKU != nil {
		rec["sku_name"] = d.SKU.Name
	}
	if p := d.Properties; p != nil {
		rec["disk_size_gb"] = p.DiskSizeGB
		rec["disk_state"] = p.DiskState
		rec["os_type"] = p.OSType
		rec["network_access_policy"] = p.NetworkAccessPolicy
		rec["public_network_access"] = p.PublicNetworkAccess
		rec["time_created"] = p.TimeCreated
		rec["provisioning_state"] = p.ProvisioningState
		if e := p.Encryption; e != nil {
			rec["encryption_type"] = e.Type
			rec["disk_encryption_set_id"] = LowerID(deref(e.DiskEncryptionSetID))
		}
		if s := p.EncryptionSettingsCollection; s != nil {
			rec["encryption_settings_enabled"] = s.Enabled
		}
	}
	rec["raw"] = d
	return rec
}
