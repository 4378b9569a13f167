// Package azure is a stand-in for Azure Resource Manager that serves a
// world file over HTTPS on 127.0.0.1, so the real Azure SDK clients of
// sync/azure can be tested without a cloud. The SDK sends bearer tokens
// only over TLS, so Start makes a self-signed certificate for 127.0.0.1
// at start. Clients trust it through CertPool or through the PEM file
// that WriteCertPEM writes (for SSL_CERT_FILE). Any non-empty bearer token is
// accepted. Nothing here checks permissions beyond the faults below.
//
// # World file
//
// A world is one JSON document:
//
//	{
//	  "tenantId": "11111111-1111-1111-1111-111111111111",
//	  "subscriptions": [
//	    {"subscriptionId": "00000000-0000-0000-0000-000000000001",
//	     "displayName": "prod", "state": "Enabled"},
//	    {"subscriptionId": "00000000-0000-0000-0000-000000000002",
//	     "displayName": "locked", "denied": true}
//	  ],
//	  "managementGroups": [
//	    {"name": "root", "displayName": "Tenant Root Group"},
//	    {"name": "prod", "parent": "root",
//	     "subscriptions": ["00000000-0000-0000-0000-000000000001"]}
//	  ],
//	  "resources": [
//	    {"id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
//	     "name": "st1", "type": "Microsoft.Storage/storageAccounts",
//	     "location": "westeurope", "kind": "StorageV2",
//	     "properties": {"minimumTlsVersion": "TLS1_2"}}
//	  ],
//	  "responses": {
//	    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default":
//	      {"properties": {"deleteRetentionPolicy": {"enabled": true, "days": 7}}}
//	  },
//	  "errors": {
//	    "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Security/pricings":
//	      {"status": 403, "code": "AuthorizationFailed", "message": "no access to Defender"}
//	  }
//	}
//
// subscriptions are what GET /subscriptions lists. A subscription with
// "denied": true is listed, but every other request that touches it,
// Resource Graph queries included, responds with 403 AuthorizationFailed.
//
// managementGroups form a tree through "parent"; GET
// /providers/Microsoft.Management/managementGroups/NAME/descendants lists
// the groups below NAME and the subscriptions of all of them.
//
// resources hold ARM JSON as the REST API returns it for a GET of the
// resource: id, name, type, location, tags, kind, sku, identity,
// properties. The subscription of a resource is the one in its id.
// Resource Graph serves them (adding subscriptionId, resourceGroup,
// tenantId and a lower-cased type, as Resource Graph does), a GET of a
// resource's id returns it, and a GET of
// /subscriptions/ID/providers/NAMESPACE/TYPE lists the resources of that
// type in the subscription (activity log alerts are read that way).
//
// responses map a request path (no query string, compared without regard
// to case) to the JSON body of a GET of it. A body with a "value" array
// is a list and is paged. Use responses for the settings that are not
// resources: blob service properties, SQL auditing, TDE protectors,
// database TDE, firewall rules, Key Vault keys and secrets (metadata
// only), diagnostic settings, role assignments and definitions, Defender
// pricings and security contacts, and web app configuration.
//
// A GET of a path that is none of the above returns, for the settings
// stance reads, what Azure returns for a resource that was never
// configured: an empty list for collections (diagnosticSettings, keys,
// secrets, firewallRules, roleAssignments, roleDefinitions, pricings,
// securityContacts), auditing "Disabled", a service-managed TDE protector,
// TDE "Enabled" for a database, blob soft delete off, and a web
// configuration with TLS 1.2 and FTP allowed. Every other path is 404.
//
// errors map a request path to an error response: status, ARM error code and
// message.
//
// # Faults
//
// Options add faults for tests: small pages (PageSize), 429 Too Many
// Requests with Retry-After for the first requests (Throttle), a
// Resource Graph quota with its x-ms-user-quota-* headers (GraphQuota)
// and more denied subscriptions (Deny).
package azure
