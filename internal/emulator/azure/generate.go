package azure

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// generatedTypes is the mix of resource types in a generated world, with
// the share of each per thousand resources. The rest are virtual networks,
// which only azure_resource reads.
var generatedTypes = []struct {
	perMille int
	build    func(r *rand.Rand, sub, rg, name string) map[string]any
}{
	{100, genStorageAccount},
	{100, genNSG},
	{150, genVM},
	{200, genDisk},
	{30, genSQLServer},
	{30, genKeyVault},
	{50, genWebApp},
}

var generatedLocations = []string{"westeurope", "northeurope", "eastus", "eastus2", "westus2", "uksouth"}

// Generate builds a deterministic world of subscriptions x perSubscription
// resources from a seed, for tests and benchmarks. Settings that are not
// resources come from the emulator's defaults.
func Generate(subscriptions, perSubscription int, seed uint64) *World {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := &World{TenantID: "11111111-1111-1111-1111-111111111111"}
	for s := range subscriptions {
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", s+1)
		w.Subscriptions = append(w.Subscriptions, Subscription{SubscriptionID: sub, DisplayName: fmt.Sprintf("sub-%03d", s+1), State: "Enabled"})
		n := 0
		for _, t := range generatedTypes {
			count := perSubscription * t.perMille / 1000
			for range count {
				n++
				rg := fmt.Sprintf("rg-%02d", n%10)
				w.Resources = append(w.Resources, mustJSON(t.build(r, sub, rg, fmt.Sprintf("res%05d", n))))
			}
		}
		for n < perSubscription {
			n++
			rg := fmt.Sprintf("rg-%02d", n%10)
			w.Resources = append(w.Resources, mustJSON(genVNet(r, sub, rg, fmt.Sprintf("res%05d", n))))
		}
	}
	return w
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func armID(sub, rg, provider, name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", sub, rg, provider, name)
}

func base(r *rand.Rand, id, name, typ string) map[string]any {
	return map[string]any{
		"id": id, "name": name, "type": typ,
		"location": generatedLocations[r.IntN(len(generatedLocations))],
		"tags":     map[string]string{"owner": fmt.Sprintf("team-%d", r.IntN(20)), "env": []string{"prod", "dev", "test"}[r.IntN(3)]},
	}
}

func pick[T any](r *rand.Rand, options ...T) T { return options[r.IntN(len(options))] }

func genStorageAccount(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Storage/storageAccounts", name), name, "Microsoft.Storage/storageAccounts")
	m["kind"] = "StorageV2"
	m["sku"] = map[string]string{"name": pick(r, "Standard_LRS", "Standard_GRS", "Premium_LRS"), "tier": "Standard"}
	m["properties"] = map[string]any{
		"minimumTlsVersion":        pick(r, "TLS1_0", "TLS1_2", "TLS1_2", "TLS1_2"),
		"supportsHttpsTrafficOnly": r.IntN(5) > 0,
		"allowBlobPublicAccess":    r.IntN(4) == 0,
		"networkAcls":              map[string]any{"defaultAction": pick(r, "Allow", "Deny"), "bypass": "AzureServices", "ipRules": []any{map[string]string{"value": "203.0.113.0/24", "action": "Allow"}}},
		"encryption":               map[string]any{"keySource": "Microsoft.Storage", "requireInfrastructureEncryption": r.IntN(2) == 0},
		"creationTime":             "2025-01-02T03:04:05Z",
		"provisioningState":        "Succeeded",
	}
	return m
}

func genNSG(r *rand.Rand, sub, rg, name string) map[string]any {
	id := armID(sub, rg, "Microsoft.Network/networkSecurityGroups", name)
	m := base(r, id, name, "Microsoft.Network/networkSecurityGroups")
	var rules []any
	for i := range 1 + r.IntN(4) {
		rules = append(rules, map[string]any{
			"id": fmt.Sprintf("%s/securityRules/rule%d", id, i), "name": fmt.Sprintf("rule%d", i),
			"properties": map[string]any{
				"protocol": pick(r, "Tcp", "Udp", "*"), "access": pick(r, "Allow", "Deny"), "direction": pick(r, "Inbound", "Outbound"),
				"priority": 100 + i*10, "sourcePortRange": "*",
				"destinationPortRanges": []string{pick(r, "22", "3389", "443", "80-90", "*")},
				"sourceAddressPrefix":   pick(r, "*", "Internet", "10.0.0.0/8", "VirtualNetwork"), "destinationAddressPrefix": "*",
			},
		})
	}
	m["properties"] = map[string]any{
		"provisioningState": "Succeeded",
		"securityRules":     rules,
		"defaultSecurityRules": []any{map[string]any{
			"id": id + "/defaultSecurityRules/DenyAllInBound", "name": "DenyAllInBound",
			"properties": map[string]any{"protocol": "*", "access": "Deny", "direction": "Inbound", "priority": 65500,
				"sourcePortRange": "*", "destinationPortRange": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*"},
		}},
	}
	return m
}

func genVM(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Compute/virtualMachines", name), name, "Microsoft.Compute/virtualMachines")
	m["properties"] = map[string]any{
		"vmId":              fmt.Sprintf("%08x-0000-4000-8000-%012x", r.Uint32(), r.Uint64()&0xffffffffffff),
		"hardwareProfile":   map[string]string{"vmSize": pick(r, "Standard_D2s_v5", "Standard_B2ms", "Standard_E4s_v5")},
		"provisioningState": "Succeeded",
		"storageProfile": map[string]any{
			"imageReference": map[string]string{"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"},
			"osDisk": map[string]any{"osType": "Linux", "name": name + "-os", "createOption": "FromImage",
				"managedDisk": map[string]string{"id": armID(sub, rg, "Microsoft.Compute/disks", name+"-os")}},
			"dataDisks": []any{},
		},
		"osProfile": map[string]any{"computerName": name, "adminUsername": "azureuser",
			"linuxConfiguration": map[string]any{"disablePasswordAuthentication": r.IntN(3) > 0}},
		"securityProfile": map[string]any{"securityType": pick(r, "TrustedLaunch", "Standard"),
			"uefiSettings": map[string]bool{"secureBootEnabled": r.IntN(2) == 0, "vTpmEnabled": true}},
		"extended": map[string]any{"instanceView": map[string]any{"powerState": map[string]string{"code": pick(r, "PowerState/running", "PowerState/deallocated")}}},
	}
	return m
}

func genDisk(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Compute/disks", name), name, "Microsoft.Compute/disks")
	m["sku"] = map[string]string{"name": pick(r, "Premium_LRS", "StandardSSD_LRS")}
	m["properties"] = map[string]any{
		"diskSizeGB": pick(r, 32, 64, 128, 256), "diskState": pick(r, "Attached", "Unattached"),
		"encryption":          map[string]string{"type": pick(r, "EncryptionAtRestWithPlatformKey", "EncryptionAtRestWithCustomerKey")},
		"networkAccessPolicy": pick(r, "AllowAll", "DenyAll"), "timeCreated": "2025-02-03T04:05:06Z", "provisioningState": "Succeeded",
	}
	return m
}

func genSQLServer(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Sql/servers", name), name, "Microsoft.Sql/servers")
	m["properties"] = map[string]any{
		"administratorLogin": "sqladmin", "version": "12.0", "state": "Ready",
		"fullyQualifiedDomainName": name + ".database.windows.net",
		"publicNetworkAccess":      pick(r, "Enabled", "Disabled"), "minimalTlsVersion": pick(r, "1.0", "1.2"),
	}
	return m
}

func genKeyVault(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.KeyVault/vaults", name), name, "Microsoft.KeyVault/vaults")
	m["properties"] = map[string]any{
		"tenantId": "11111111-1111-1111-1111-111111111111", "sku": map[string]string{"family": "A", "name": "standard"},
		"vaultUri": "https://" + name + ".vault.azure.net/", "enableSoftDelete": true, "softDeleteRetentionInDays": 90,
		"enablePurgeProtection": r.IntN(2) == 0, "enableRbacAuthorization": r.IntN(2) == 0, "accessPolicies": []any{},
	}
	return m
}

func genWebApp(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Web/sites", name), name, "Microsoft.Web/sites")
	m["kind"] = pick(r, "app", "app,linux", "functionapp")
	m["properties"] = map[string]any{"state": "Running", "defaultHostName": name + ".azurewebsites.net", "httpsOnly": r.IntN(3) > 0}
	return m
}

func genVNet(r *rand.Rand, sub, rg, name string) map[string]any {
	m := base(r, armID(sub, rg, "Microsoft.Network/virtualNetworks", name), name, "Microsoft.Network/virtualNetworks")
	m["properties"] = map[string]any{"addressSpace": map[string]any{"addressPrefixes": []string{"10.0.0.0/16"}}, "provisioningState": "Succeeded"}
	return m
}
