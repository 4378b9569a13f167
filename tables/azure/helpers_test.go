package azure

import (
	"reflect"
	"testing"
	"time"
)

func TestNormalizePortRanges(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"22"}, []string{"22-22"}},
		{[]string{"*"}, []string{"0-65535"}},
		{[]string{"1000-2000", " 443 "}, []string{"1000-2000", "443-443"}},
		{[]string{"80-70", "70000", "ssh", "-5"}, []string{}},
		{nil, []string{}},
	}
	for _, tc := range tests {
		if got := NormalizePortRanges(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("NormalizePortRanges(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestResourceType(t *testing.T) {
	tests := []struct{ id, want string }{
		{"/subscriptions/s1", "microsoft.resources/subscriptions"},
		{"/subscriptions/s1/resourceGroups/rg", "microsoft.resources/resourcegroups"},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "microsoft.keyvault/vaults"},
		{"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default", "microsoft.storage/storageaccounts/blobservices"},
		{"not an id", ""},
	}
	for _, tc := range tests {
		if got := ResourceType(tc.id); got != tc.want {
			t.Errorf("ResourceType(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestResourceGroupAndRegion(t *testing.T) {
	id := "/subscriptions/s1/resourceGroups/RG-Web/providers/Microsoft.Web/sites/app"
	if got := ResourceGroup(id); got != "rg-web" {
		t.Errorf("ResourceGroup = %q, want rg-web", got)
	}
	if got := ResourceGroup("/subscriptions/s1"); got != "" {
		t.Errorf("ResourceGroup of a subscription = %q, want empty", got)
	}
	if got := parentID(id + "/config/web"); got != id {
		t.Errorf("parentID = %q, want %q", got, id)
	}
	for in, want := range map[string]string{"East US": "eastus", "westeurope": "westeurope", "": "global", "Global": "global"} {
		if got := Region(in); got != want {
			t.Errorf("Region(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseQuotaReset(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"00:00:05", 5 * time.Second, true},
		{"00:00:00.250", 250 * time.Millisecond, true},
		{"00:01:30", 90 * time.Second, true},
		{"01:00:00", 0, false}, // longer than maxQuotaWait
		{"5", 0, false},
		{"", 0, false},
		{"aa:bb:cc", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseQuotaReset(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseQuotaReset(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestQueryText(t *testing.T) {
	if got, want := Query(), "Resources | order by id asc"; got != want {
		t.Errorf("Query() = %q, want %q", got, want)
	}
	got := Query("Microsoft.Storage/storageAccounts", "microsoft.web/sites")
	want := "Resources | where type in~ ('microsoft.storage/storageaccounts', 'microsoft.web/sites') | order by id asc"
	if got != want {
		t.Errorf("Query(two types) = %q, want %q", got, want)
	}
}
