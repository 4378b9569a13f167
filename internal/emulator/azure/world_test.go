package azure

import (
	"strings"
	"testing"
)

func TestParseWorldRejectsInvalid(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
	}{
		{"not JSON", `{`, "parse Azure world"},
		{"resource without type", `{"subscriptions":[{"subscriptionId":"s1"}],"resources":[{"id":"/subscriptions/s1/x"}]}`, "no id or no type"},
		{"resource of unknown subscription", `{"subscriptions":[{"subscriptionId":"s1"}],"resources":[{"id":"/subscriptions/s2/resourceGroups/rg/providers/A/b/c","type":"A/b"}]}`, `subscription "s2" is not in subscriptions`},
		{"subscription without id", `{"subscriptions":[{"displayName":"x"}]}`, "no subscriptionId"},
		{"group with unknown parent", `{"managementGroups":[{"name":"a","parent":"b"}]}`, "which is not defined"},
		{"group cycle", `{"managementGroups":[{"name":"a","parent":"b"},{"name":"b","parent":"a"}]}`, "its own ancestor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWorld([]byte(tc.doc))
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestGraphTypes(t *testing.T) {
	got := graphTypes("Resources | where type in~ ('Microsoft.Web/sites', 'microsoft.sql/servers') | order by id asc")
	if len(got) != 2 || !got["microsoft.web/sites"] || !got["microsoft.sql/servers"] {
		t.Errorf("in~ filter: got %v", got)
	}
	got = graphTypes("Resources | where type =~ 'Microsoft.KeyVault/vaults'")
	if len(got) != 1 || !got["microsoft.keyvault/vaults"] {
		t.Errorf("=~ filter: got %v", got)
	}
	if got := graphTypes("Resources | order by id asc"); got != nil {
		t.Errorf("no filter: got %v, want nil", got)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(2, 30, 7), Generate(2, 30, 7)
	if len(a.Resources) != 60 {
		t.Fatalf("got %d resources, want 60", len(a.Resources))
	}
	for i := range a.Resources {
		if string(a.Resources[i]) != string(b.Resources[i]) {
			t.Fatalf("resource %d differs between two worlds of the same seed", i)
		}
	}
	if err := a.Validate(); err != nil {
		t.Errorf("generated world is invalid: %v", err)
	}
}

func TestStartRejectsNonLoopback(t *testing.T) {
	_, err := Start(&World{}, Options{Addr: "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("got %v, want an error about a loopback address", err)
	}
}
