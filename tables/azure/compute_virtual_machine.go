package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "azure_compute_virtual_machine",
		Description: "Virtual machines with their size, operating system, disks, network interfaces, identity and security settings.",
		Key:         "id",
		Columns: append(resourceColumns("virtual machine"),
			store.Column{Name: "vm_id", Type: store.TypeText, Description: "Unique id that Azure assigns to the virtual machine (vmId)."},
			store.Column{Name: "vm_size", Type: store.TypeText, Description: "Size of the virtual machine, such as Standard_D2s_v5."},
			store.Column{Name: "provisioning_state", Type: store.TypeText, Description: "Provisioning state of the virtual machine."},
			store.Column{Name: "power_state", Type: store.TypeText, Description: "Power state code from the instance view, such as PowerState/running, when Resource Graph returns it."},
			store.Column{Name: "time_created", Type: store.TypeTimestamp, Description: "Time the virtual machine was created."},
			store.Column{Name: "os_type", Type: store.TypeText, Description: "Operating system of the OS disk: Linux or Windows."},
			store.Column{Name: "computer_name", Type: store.TypeText, Description: "Host name of the operating system."},
			store.Column{Name: "admin_username", Type: store.TypeText, Description: "Name of the administrator account."},
			store.Column{Name: "disable_password_authentication", Type: store.TypeBool, Description: "Linux only: true when SSH password authentication is disabled."},
			store.Column{Name: "provision_vm_agent", Type: store.TypeBool, Description: "True when the VM agent is installed."},
			store.Column{Name: "image_reference", Type: store.TypeJSON, Description: "Image the virtual machine was created from: publisher, offer, sku and version, or an image id."},
			store.Column{Name: "os_disk_id", Type: store.TypeText, Description: "Lower-cased id of the managed OS disk; joins azure_compute_disk.id."},
			store.Column{Name: "os_disk_name", Type: store.TypeText, Description: "Name of the OS disk."},
			store.Column{Name: "os_disk_encryption_set_id", Type: store.TypeText, Description: "Lower-cased id of the disk encryption set of the OS disk, NULL for platform-managed keys."},
			store.Column{Name: "data_disk_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the managed data disks."},
			store.Column{Name: "unmanaged_disk_count", Type: store.TypeInt, Description: "Number of disks (OS and data) stored as VHD blobs instead of managed disks."},
			store.Column{Name: "network_interface_ids", Type: store.TypeTextList, Description: "Lower-cased ids of the network interfaces."},
			store.Column{Name: "encryption_at_host", Type: store.TypeBool, Description: "True when encryption at host is enabled; NULL when not set."},
			store.Column{Name: "security_type", Type: store.TypeText, Description: "Security type: TrustedLaunch or ConfidentialVM; NULL for a standard virtual machine."},
			store.Column{Name: "secure_boot_enabled", Type: store.TypeBool, Description: "True when UEFI secure boot is enabled."},
			store.Column{Name: "vtpm_enabled", Type: store.TypeBool, Description: "True when the virtual TPM is enabled."},
			store.Column{Name: "boot_diagnostics_enabled", Type: store.TypeBool, Description: "True when boot diagnostics are enabled."},
			store.Column{Name: "identity_type", Type: store.TypeText, Description: "Managed identity: SystemAssigned, UserAssigned, both, or NULL for none."},
			store.Column{Name: "license_type", Type: store.TypeText, Description: "Azure Hybrid Benefit licence type, such as Windows_Server."},
			store.Column{Name: "zones", Type: store.TypeTextList, Description: "Availability zones of the virtual machine."},
			store.Column{Name: "extension_names", Type: store.TypeTextList, Description: "Names of the installed VM extensions, when the response includes them."},
		),
	}, fetchVirtualMachines)
}

// vmPowerState is the part of a Resource Graph virtual machine row that
// the ARM model lacks: Resource Graph adds the instance view's power state
// under properties.extended.
type vmPowerState struct {
	Properties struct {
		Extended struct {
			InstanceView struct {
				PowerState struct {
					Code string `json:"code"`
				} `json:"powerState"`
			} `json:"instanceView"`
		} `json:"extended"`
	} `json:"properties"`
}

func fetchVirtualMachines(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	return graphEach(ctx, c, "microsoft.compute/virtualmachines", func(vm *armcompute.VirtualMachine, extra *vmPowerState) error {
		return emit(virtualMachineRow(vm, extra.Properties.Extended.InstanceView.PowerState.Code))
	})
}

// virtualMachineRow builds the azure_compute_virtual_machine record of a
// virtual machine. powerState is "" when unknown.
func virtualMachineRow(vm *armcompute.VirtualMachine, powerState string) tables.Record {
	rec := resourceRecord(vm.ID, vm.Name, vm.Location, vm.Tags)
	rec["zones"] = stringList(vm.Zones)
	rec["power_state"] = textOrNil(powerState)
	if vm.Identity != nil {
		rec["identity_type"] = vm.Identity.Type
	}
	var extensions []string
	for _, e := range vm.Resources {
		if e != nil && e.Name != nil {
			extensions = append(extensions, *e.Name)
		}
	}
	rec["extension_names"] = extensions

	unmanaged := 0
	if p := vm.Properties; p != nil {
		rec["vm_id"] = p.VMID
		rec["provisioning_state"] = p.ProvisioningState
		rec["time_created"] = p.TimeCreated
		rec["license_type"] = p.LicenseType
		if p.HardwareProfile != nil {
			rec["vm_size"] = p.HardwareProfile.VMSize
		}

		if o := p.OSProfile; o != nil {
			rec["computer_name"] = o.ComputerName
			rec["admin_username"] = o.AdminUsername
			if l := o.LinuxConfiguration; l != nil {
				rec["disable_password_authentication"] = l.DisablePasswordAuthentication
				rec["provision_vm_agent"] = l.ProvisionVMAgent
			}
			if w := o.WindowsConfiguration; w != nil {
				rec["provision_vm_agent"] = w.ProvisionVMAgent
			}
		}

		if s := p.StorageProfile; s != nil {
			rec["image_reference"] = s.ImageReference
			if d := s.OSDisk; d != nil {
				rec["os_type"] = d.OSType
				rec["os_disk_name"] = d.Name
				if m := d.ManagedDisk; m != nil {
					rec["os_disk_id"] = LowerID(deref(m.ID))
					if m.DiskEncryptionSet != nil {
						rec["os_disk_encryption_set_id"] = LowerID(deref(m.DiskEncryptionSet.ID))
					}
				} else if d.Vhd != nil {
					unmanaged++
				}
			}
			dataDisks := []*string{}
			for _, d := range s.DataDisks {
				if d == nil {
					continue
				}
				if d.ManagedDisk != nil {
					dataDisks = append(dataDisks, d.ManagedDisk.ID)
				} else if d.Vhd != nil {
					unmanaged++
				}
			}
			rec["data_disk_ids"] = LowerIDs(dataDisks)
		}

		if n := p.NetworkProfile; n != nil {
			nics := []*string{}
			for _, i := range n.NetworkInterfaces {
				if i != nil {
					nics = append(nics, i.ID)
				}
			}
			rec["network_interface_ids"] = LowerIDs(nics)
		}

		if sp := p.SecurityProfile; sp != nil {
			rec["encryption_at_host"] = sp.EncryptionAtHost
			rec["security_type"] = sp.SecurityType
			if u := sp.UefiSettings; u != nil {
				rec["secure_boot_enabled"] = u.SecureBootEnabled
				rec["vtpm_enabled"] = u.VTpmEnabled
			}
		}
		if d := p.DiagnosticsProfile; d != nil && d.BootDiagnostics != nil {
			rec["boot_diagnostics_enabled"] = d.BootDiagnostics.Enabled
		}
	}

	rec["unmanaged_disk_count"] = unmanaged
	rec["raw"] = redactVirtualMachine(vm)
	return rec
}

// redactVirtualMachine returns a copy of vm without the fields that may
// hold secrets. ARM does not return them on reads, but a world file or a
// future API version might.
func redactVirtualMachine(vm *armcompute.VirtualMachine) *armcompute.VirtualMachine {
	if vm.Properties == nil {
		return vm
	}
	out := *vm
	props := *vm.Properties
	props.UserData = nil
	if props.OSProfile != nil {
		os := *props.OSProfile
		os.AdminPassword = nil
		os.CustomData = nil
		props.OSProfile = &os
	}
	out.Properties = &props
	return &out
}
