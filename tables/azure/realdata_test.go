package azure

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/authorization/armauthorization/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/keyvault/armkeyvault"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/sql/armsql"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/storage/armstorage/v2"

	"github.com/stance-cspm/stance/tables"
)

// examplesDir returns the folder of Microsoft's published ARM example
// responses (the x-ms-examples files of azure-rest-api-specs), which sits
// in shared/realdata beside the repository. The test is skipped when it is
// absent.
func examplesDir(t *testing.T) string {
	t.Helper()
	// Tests run in the package folder, two levels below the repository.
	dir := filepath.Join("..", "..", "..", "shared", "realdata", "azure-rest-api-specs-examples")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("published Azure examples not found at %s (they live in shared/realdata beside the repository): %v", dir, err)
	}
	return dir
}

// exampleItems returns the resources of the 200 response of an example
// file: the body of a GET, or the value array of a list.
func exampleItems(t *testing.T, dir, name string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Responses map[string]struct {
			Body json.RawMessage `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	body := doc.Responses["200"].Body
	if len(body) == 0 {
		t.Fatalf("%s has no 200 response body", name)
	}
	var list struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err == nil && list.Value != nil {
		return list.Value
	}
	return []json.RawMessage{body}
}

func mustDecode[T any](t *testing.T, raw json.RawMessage) *T {
	t.Helper()
	v, err := decode[T](raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rowValues converts a record through Table.Row, as the sync engine does,
// and returns the stored values by column name.
func rowValues(t *testing.T, table string, rec tables.Record) map[string]any {
	t.Helper()
	tbl, ok := tables.Lookup(table)
	if !ok {
		t.Fatalf("table %s is not registered", table)
	}
	row, err := tbl.Row(tables.Target{Provider: Provider, AccountID: "sub", Region: tables.GlobalRegion}, rec)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	out := map[string]any{}
	for i, c := range tbl.Schema().Columns {
		out[c.Name] = row.Values[i]
	}
	return out
}

// formatValue prints a stored value so that expectations can be written
// as text: lists as [a b], times in RFC 3339, pointers followed.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case json.RawMessage:
		return string(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprint(v)
}

// exampleCase is one published example file loaded through a row builder:
// the wanted values of some columns of the rows with the given names.
type exampleCase struct {
	file  string
	table string
	build func(*testing.T, json.RawMessage) []tables.Record
	rows  int
	want  map[string]map[string]string // row name -> column -> value
}

func oneRow(rec tables.Record) []tables.Record { return []tables.Record{rec} }

var exampleCases = []exampleCase{
	{
		file: "Microsoft.Storage/2026-09-01/StorageAccountGetProperties.json", table: "azure_storage_account", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(storageAccountRow(mustDecode[armstorage.Account](t, raw), nil))
		},
		want: map[string]map[string]string{"sto8596": {
			"id":                          "/subscriptions/{subscription-id}/resourcegroups/res9407/providers/microsoft.storage/storageaccounts/sto8596",
			"arm_id":                      "/subscriptions/{subscription-id}/resourceGroups/res9407/providers/Microsoft.Storage/storageAccounts/sto8596",
			"resource_group":              "res9407",
			"region":                      "eastus2(stage)",
			"account_id":                  "sub",
			"kind":                        "Storage",
			"sku_name":                    "Standard_GRS",
			"supports_https_traffic_only": "false",
			"minimum_tls_version":         "NULL",
			"network_acls_default_action": "Allow",
			"network_acls_bypass":         "[AzureServices]",
			"network_acls_ip_rules":       "[]",
			"encryption_key_source":       "Microsoft.Storage",
			"creation_time":               "2017-06-01T02:42:41Z",
			// Without the blob service call, soft delete is unknown.
			"blob_delete_retention_policy_enabled": "NULL",
		}},
	},
	{
		file: "Microsoft.Storage/2026-09-01/StorageAccountListByResourceGroup.json", table: "azure_storage_account", rows: 2,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(storageAccountRow(mustDecode[armstorage.Account](t, raw), nil))
		},
		want: map[string]map[string]string{
			"sto4036": {"region": "eastus", "supports_https_traffic_only": "false", "resource_group": "res6117"},
			"sto4452": {"region": "eastus", "creation_time": "2017-05-24T13:24:15Z"},
		},
	},
	{
		file: "Microsoft.Network/2025-05-01/NetworkSecurityGroupGet.json", table: "azure_network_security_group", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(networkSecurityGroupRow(mustDecode[armnetwork.SecurityGroup](t, raw)))
		},
		want: map[string]map[string]string{"testnsg": {
			"region": "westus", "resource_group": "rg1", "security_rule_count": "1", "provisioning_state": "Succeeded",
		}},
	},
	{
		file: "Microsoft.Network/2025-05-01/NetworkSecurityGroupGet.json", table: "azure_network_security_group_rule", rows: 7,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return networkSecurityGroupRuleRows(mustDecode[armnetwork.SecurityGroup](t, raw))
		},
		want: map[string]map[string]string{
			"rule1": {
				"id":                                 "/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/networksecuritygroups/testnsg/securityrules/rule1",
				"network_security_group_id":          "/subscriptions/subid/resourcegroups/rg1/providers/microsoft.network/networksecuritygroups/testnsg",
				"network_security_group_name":        "testnsg",
				"is_default":                         "false",
				"direction":                          "Inbound",
				"access":                             "Allow",
				"priority":                           "130",
				"protocol":                           "*",
				"source_address_prefixes":            "[*]",
				"destination_port_ranges":            "[80]",
				"destination_port_ranges_normalized": "[80-80]",
				"source_port_ranges":                 "[*]",
				"source_is_internet":                 "true",
				"region":                             "westus",
			},
			"AllowVnetInBound": {
				"is_default":                         "true",
				"priority":                           "65000",
				"source_address_prefixes":            "[VirtualNetwork]",
				"destination_port_ranges_normalized": "[0-65535]",
				"source_is_internet":                 "false",
				"description":                        "Allow inbound traffic from all VMs in VNET",
			},
		},
	},
	{
		file: "Microsoft.Network/2025-07-01/NetworkSecurityGroupListAll.json", table: "azure_network_security_group_rule", rows: 12,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return networkSecurityGroupRuleRows(mustDecode[armnetwork.SecurityGroup](t, raw))
		},
		want: map[string]map[string]string{
			"DenyAllInBound": {"access": "Deny", "direction": "Inbound", "priority": "65500", "source_is_internet": "true"},
		},
	},
	{
		file: "Microsoft.Compute/2025-11-01/VirtualMachine_Get_WithDiskControllerType.json", table: "azure_compute_virtual_machine", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(virtualMachineRow(mustDecode[armcompute.VirtualMachine](t, raw), ""))
		},
		want: map[string]map[string]string{"myVM": {
			"region":               "westus",
			"vm_id":                "0f47b100-583c-48e3-a4c0-aefc2c9bbcc1",
			"vm_size":              "Standard_DS3_v2",
			"os_type":              "Windows",
			"os_disk_id":           "/subscriptions/{subscription-id}/resourcegroups/myresourcegroup/providers/microsoft.compute/disks/myosdisk",
			"os_disk_name":         "myOsDisk",
			"unmanaged_disk_count": "0",
			"power_state":          "NULL",
		}},
	},
	{
		file: "Microsoft.Compute/2025-04-01/VirtualMachine_ListBySubscription_ByLocation.json", table: "azure_compute_virtual_machine", rows: 2,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(virtualMachineRow(mustDecode[armcompute.VirtualMachine](t, raw), ""))
		},
		want: map[string]map[string]string{"{virtualMachineName}": {
			"region": "eastus", "os_type": "Windows", "os_disk_id": "NULL", "unmanaged_disk_count": "1", "data_disk_ids": "[]",
		}},
	},
	{
		file: "Microsoft.Sql/2025-01-01/ServerGet.json", table: "azure_sql_server", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(sqlServerRow(mustDecode[armsql.Server](t, raw), nil, nil))
		},
		want: map[string]map[string]string{"sqlcrudtest-4645": {
			"region":                           "japaneast",
			"fully_qualified_domain_name":      "sqlcrudtest-4645.database.windows.net",
			"administrator_login":              "dummylogin",
			"public_network_access":            "Enabled",
			"restrict_outbound_network_access": "Enabled",
			"version":                          "12.0",
			"auditing_state":                   "NULL",
		}},
	},
	{
		file: "Microsoft.Sql/2025-01-01/ServerList.json", table: "azure_sql_server", rows: 2,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(sqlServerRow(mustDecode[armsql.Server](t, raw), nil, nil))
		},
		want: map[string]map[string]string{"sqlcrudtest-6661": {"state": "Ready", "resource_group": "sqlcrudtest-7398"}},
	},
	{
		file: "Microsoft.Sql/2025-01-01/FirewallRuleList.json", table: "azure_sql_server_firewall_rule", rows: 4,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			server := &armsql.Server{Location: ptr("japaneast")}
			return oneRow(sqlFirewallRuleRow(server, mustDecode[armsql.FirewallRule](t, raw)))
		},
		want: map[string]map[string]string{
			"firewallrulecrudtest-2304": {
				"server_id":             "/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/firewallrulecrudtest-12/providers/microsoft.sql/servers/firewallrulecrudtest-6285",
				"server_name":           "firewallrulecrudtest-6285",
				"start_ip_address":      "0.0.0.0",
				"end_ip_address":        "0.0.0.0",
				"allows_azure_services": "true",
				"allows_any_address":    "false",
			},
			"firewallrulecrudtest-3927": {"allows_azure_services": "false", "start_ip_address": "0.0.0.1"},
		},
	},
	{
		file: "Microsoft.KeyVault/2026-02-01/getVault.json", table: "azure_key_vault", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(keyVaultRow(mustDecode[armkeyvault.Vault](t, raw)))
		},
		want: map[string]map[string]string{"sample-vault": {
			"region":                  "westus",
			"vault_uri":               "https://sample-vault.vault.azure.net",
			"enabled_for_deployment":  "true",
			"public_network_access":   "Enabled",
			"access_policy_count":     "1",
			"enable_purge_protection": "NULL",
			"sku_name":                "standard",
		}},
	},
	{
		file: "Microsoft.KeyVault/2024-11-01/listVaultByResourceGroup.json", table: "azure_key_vault", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(keyVaultRow(mustDecode[armkeyvault.Vault](t, raw)))
		},
		want: map[string]map[string]string{"sample-vault": {"enable_soft_delete": "true", "resource_group": "sample-group"}},
	},
	{
		file: "Microsoft.Authorization/2022-04-01/RoleAssignments_ListForResourceGroup.json", table: "azure_authorization_role_assignment", rows: 2,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(roleAssignmentRow(mustDecode[armauthorization.RoleAssignment](t, raw)))
		},
		want: map[string]map[string]string{
			"96786e4b-dede-4c2e-8736-8ab911987f08": {
				"scope":                "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/resourcegroups/testrg",
				"role_definition_id":   "/providers/microsoft.authorization/roledefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d",
				"role_definition_guid": "0b5fe924-9a61-425c-96af-cfe6e287ca2d",
				"principal_type":       "User",
				"region":               "global",
			},
		},
	},
	{
		file: "Microsoft.Authorization/2022-04-01/RoleAssignments_Get.json", table: "azure_authorization_role_assignment", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(roleAssignmentRow(mustDecode[armauthorization.RoleAssignment](t, raw)))
		},
		want: map[string]map[string]string{"b0f43c54-e787-4862-89b1-a653fa9cf747": {"principal_id": "ce2ce14e-85d7-4629-bdbc-454d0519d987"}},
	},
	{
		file: "Microsoft.Authorization/2022-04-01/RoleAssignments_ListForSubscription.json", table: "azure_authorization_role_assignment", rows: 1,
		build: func(t *testing.T, raw json.RawMessage) []tables.Record {
			return oneRow(roleAssignmentRow(mustDecode[armauthorization.RoleAssignment](t, raw)))
		},
		want: map[string]map[string]string{"b0f43c54-e787-4862-89b1-a653fa9cf747": {"scope": "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2"}},
	},
}

func TestPublishedExamples(t *testing.T) {
	dir := examplesDir(t)
	for _, tc := range exampleCases {
		t.Run(tc.table+"/"+filepath.Base(tc.file), func(t *testing.T) {
			var rows []map[string]any
			for _, raw := range exampleItems(t, dir, tc.file) {
				for _, rec := range tc.build(t, raw) {
					rows = append(rows, rowValues(t, tc.table, rec))
				}
			}
			if len(rows) != tc.rows {
				t.Fatalf("got %d rows, want %d", len(rows), tc.rows)
			}
			for name, want := range tc.want {
				var row map[string]any
				for _, r := range rows {
					if r["name"] == name {
						row = r
						break
					}
				}
				if row == nil {
					t.Errorf("no row named %q", name)
					continue
				}
				for col, w := range want {
					if _, ok := row[col]; !ok {
						t.Errorf("%s: table has no column %s", name, col)
						continue
					}
					if got := formatValue(row[col]); got != w {
						t.Errorf("%s.%s = %s, want %s", name, col, got, w)
					}
				}
			}
		})
	}
}

// TestPublishedVMUserDataRedacted checks that the raw column drops the
// fields that may carry secrets: the example sets userData.
func TestPublishedVMUserDataRedacted(t *testing.T) {
	dir := examplesDir(t)
	raw := exampleItems(t, dir, "Microsoft.Compute/2025-11-01/VirtualMachine_Get_WithDiskControllerType.json")[0]
	if !strings.Contains(string(raw), `"userData"`) {
		t.Fatal("the example no longer sets userData, so this test checks nothing: pick another example")
	}
	values := rowValues(t, "azure_compute_virtual_machine", virtualMachineRow(mustDecode[armcompute.VirtualMachine](t, raw), ""))
	stored := formatValue(values["raw"])
	if strings.Contains(stored, "userData") {
		t.Errorf("raw column keeps userData: %.200s", stored)
	}
	if !strings.Contains(stored, "myOsDisk") {
		t.Errorf("raw column lost the rest of the virtual machine: %.200s", stored)
	}
}
