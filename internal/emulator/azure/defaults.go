package azure

import (
	"encoding/json"
	"strings"
)

// emptyCollections are the last path segments of the lists that stance
// reads and that return an empty list when the world gives no response.
var emptyCollections = map[string]bool{
	"diagnosticsettings": true,
	"keys":               true,
	"secrets":            true,
	"firewallrules":      true,
	"roleassignments":    true,
	"roledefinitions":    true,
	"pricings":           true,
	"securitycontacts":   true,
	"activitylogalerts":  true,
}

// defaultSettings are the responses for singletons that Azure returns
// even when they were never configured, keyed by the last two path segments.
var defaultSettings = map[string]string{
	"blobservices/default":              `{"name":"default","type":"Microsoft.Storage/storageAccounts/blobServices","properties":{"deleteRetentionPolicy":{"enabled":false},"containerDeleteRetentionPolicy":{"enabled":false},"isVersioningEnabled":false}}`,
	"auditingsettings/default":          `{"name":"Default","type":"Microsoft.Sql/servers/auditingSettings","properties":{"state":"Disabled","retentionDays":0,"isAzureMonitorTargetEnabled":false,"auditActionsAndGroups":[]}}`,
	"encryptionprotector/current":       `{"name":"current","kind":"servicemanaged","type":"Microsoft.Sql/servers/encryptionProtector","properties":{"serverKeyName":"ServiceManaged","serverKeyType":"ServiceManaged","autoRotationEnabled":false}}`,
	"transparentdataencryption/current": `{"name":"Current","type":"Microsoft.Sql/servers/databases/transparentDataEncryption","properties":{"state":"Enabled"}}`,
	"config/web":                        `{"name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.2","scmMinTlsVersion":"1.2","ftpsState":"AllAllowed","http20Enabled":false,"remoteDebuggingEnabled":false,"alwaysOn":false}}`,
}

// defaultResponse returns the default response for a path, given as its
// lower-cased segments, and whether it has one.
func defaultResponse(parts []string) (json.RawMessage, bool) {
	if len(parts) == 0 {
		return nil, false
	}
	if emptyCollections[parts[len(parts)-1]] {
		return json.RawMessage(`{"value":[]}`), true
	}
	if len(parts) >= 2 {
		if body, ok := defaultSettings[strings.Join(parts[len(parts)-2:], "/")]; ok {
			return json.RawMessage(body), true
		}
	}
	return nil, false
}
