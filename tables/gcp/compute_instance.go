package gcp

import (
	"fmt"
	"sort"

	"github.com/stance-cspm/stance/internal/store"
)

func init() {
	registerResource(resourceTable{
		name: "gcp_compute_instance",
		description: "Compute Engine VM instances with their network interfaces, service accounts, " +
			"metadata and Shielded VM settings.",
		assetTypes: []string{"compute.googleapis.com/Instance"},
		columns: []column{
			field("name", store.TypeText, "Name of the instance."),
			field("id", store.TypeText, "Numeric ID of the instance, as a string."),
			field("zone", store.TypeText, "URL of the zone of the instance."),
			field("machine_type", store.TypeText, "URL of the machine type."),
			field("status", store.TypeText, "PROVISIONING, STAGING, RUNNING, STOPPING, STOPPED, SUSPENDED or TERMINATED."),
			field("creation_timestamp", store.TypeTimestamp, "Time the instance was created."),
			field("cpu_platform", store.TypeText, "CPU platform of the instance."),
			field("can_ip_forward", store.TypeBool, "True when the instance may send and receive packets for other addresses (IP forwarding)."),
			field("deletion_protection", store.TypeBool, "True when the instance cannot be deleted."),
			field("network_interfaces", store.TypeJSON, "Network interfaces with their networks, subnetworks, internal IPs and access configs.",
				"networkInterfaces", "networkInterface"),
			computed("has_external_ip", store.TypeBool,
				"True when any network interface has an access config, which gives it an external IPv4 address.", hasExternalIP),
			field("service_accounts", store.TypeJSON, "Service accounts attached to the instance, with their OAuth scopes.",
				"serviceAccounts", "serviceAccount"),
			computed("service_account_emails", store.TypeTextList, "Emails of the attached service accounts.", func(v *view) (any, error) {
				return collect(v, []string{"serviceAccounts", "serviceAccount"}, "email"), nil
			}),
			computed("service_account_scopes", store.TypeTextList, "OAuth scopes granted to the attached service accounts, without duplicates.", func(v *view) (any, error) {
				return collect(v, []string{"serviceAccounts", "serviceAccount"}, "scopes", "scope"), nil
			}),
			computed("metadata", store.TypeJSON,
				"Instance metadata as an object of key to value, such as enable-oslogin, block-project-ssh-keys and serial-port-enable.",
				func(v *view) (any, error) { return metadataMap(v, "metadata") }),
			field("disks", store.TypeJSON, "Attached disks with their source, boot flag and encryption key.", "disks", "disk"),
			computed("network_tags", store.TypeTextList, "Network tags of the instance, which firewall rules target.", func(v *view) (any, error) {
				val, ok := v.first("tags.items", "tags.item")
				if !ok {
					return nil, nil
				}
				return textList(val), nil
			}),
			field("shielded_instance_config_enable_secure_boot", store.TypeBool, "True when Shielded VM Secure Boot is on.",
				"shieldedInstanceConfig.enableSecureBoot"),
			field("shielded_instance_config_enable_vtpm", store.TypeBool, "True when Shielded VM vTPM is on.",
				"shieldedInstanceConfig.enableVtpm"),
			field("shielded_instance_config_enable_integrity_monitoring", store.TypeBool, "True when Shielded VM integrity monitoring is on.",
				"shieldedInstanceConfig.enableIntegrityMonitoring"),
			field("confidential_instance_config_enable_confidential_compute", store.TypeBool, "True for a Confidential VM.",
				"confidentialInstanceConfig.enableConfidentialCompute"),
			field("scheduling", store.TypeJSON, "Scheduling options: preemptible, automatic restart, host maintenance."),
		},
	})
}

func hasExternalIP(v *view) (any, error) {
	ifaces := v.list("networkInterfaces")
	if ifaces == nil {
		ifaces = v.list("networkInterface")
	}
	for _, nic := range ifaces {
		m, _ := nic.(map[string]any)
		for _, key := range []string{"accessConfigs", "accessConfig", "ipv6AccessConfigs"} {
			if list, _ := m[key].([]any); len(list) > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// collect gathers the string values of keys in the objects of the first
// present list, without duplicates, in sorted order.
func collect(v *view, lists []string, keys ...string) []string {
	items, _ := v.first(lists...)
	list, _ := items.([]any)
	seen := map[string]bool{}
	var out []string
	for _, it := range list {
		m, _ := it.(map[string]any)
		for _, key := range keys {
			val, ok := m[key]
			if !ok {
				continue
			}
			for _, s := range textList(val) {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// metadataMap turns Compute Engine metadata, a list of key and value
// items, into an object; NULL when the resource has no metadata.
func metadataMap(v *view, path string) (any, error) {
	val, ok := v.get(path)
	if !ok {
		return nil, nil
	}
	md, isMap := val.(map[string]any)
	if !isMap {
		return nil, fmt.Errorf("%s: got %T, want an object", path, val)
	}
	items, _ := md["items"].([]any)
	if items == nil {
		items, _ = md["item"].([]any)
	}
	out := map[string]string{}
	for _, it := range items {
		m, _ := it.(map[string]any)
		key, _ := m["key"].(string)
		if key == "" {
			continue
		}
		out[key] = scalarText(m["value"])
	}
	return encodeJSON(out)
}
