package azure

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	azemu "github.com/stance-cspm/stance/internal/emulator/azure"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
)

func requireAllOK(t *testing.T, res *sync.Result) {
	t.Helper()
	for _, p := range res.Partitions {
		if p.Status != store.StatusOK {
			t.Errorf("partition %s of %s: %s (%s: %s), want ok", p.Table, p.AccountID, p.Status, p.ErrorCode, p.Error)
		}
	}
}

// TestSyncPagesEverything reads a generated world with pages of 7 items,
// so every Resource Graph query and ARM list takes several pages, and
// checks that no row is lost or duplicated.
func TestSyncPagesEverything(t *testing.T) {
	world := azemu.Generate(2, 120, 1)
	srv := startEmulator(t, world, azemu.Options{PageSize: 7})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{PageSize: 7}))
	requireAllOK(t, res)

	tests := []struct {
		query string
		want  int64
	}{
		{"SELECT count(*) FROM azure_resource", 240},
		{"SELECT count(DISTINCT id) FROM azure_resource", 240},
		{"SELECT count(*) FROM azure_storage_account", 24},
		{"SELECT count(*) FROM azure_network_security_group", 24},
		{"SELECT count(*) FROM azure_compute_virtual_machine", 36},
		{"SELECT count(*) FROM azure_compute_disk", 48},
		{"SELECT count(*) FROM azure_subscription", 2},
	}
	for _, tc := range tests {
		if got := queryValue[int64](t, st, tc.query); got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.query, got, tc.want)
		}
	}
	if got, min := srv.Requests(), int64(2*240/7); got < min {
		t.Errorf("emulator served %d requests, want at least %d with pages of 7", got, min)
	}
}

// TestSyncRetriesThrottling responds to the first Resource Graph queries
// with 429 and Retry-After, so the SDK waits and retries, and every partition
// completes.
func TestSyncRetriesThrottling(t *testing.T) {
	srv := startEmulator(t, exampleWorld(t), azemu.Options{Throttle: 4, ThrottlePath: "Microsoft.ResourceGraph", RetryAfter: 20 * time.Millisecond})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{Subscriptions: []string{prodSub}}))
	requireAllOK(t, res)
	if got := srv.Throttled(); got != 4 {
		t.Errorf("emulator sent %d 429 responses, want 4", got)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource"); got != 7 {
		t.Errorf("azure_resource has %d rows after throttling, want 7", got)
	}
}

// TestSyncThrottlingExhausted keeps responding with 429 to the role
// assignment list, so after the retries run out, that partition fails with Throttled,
// and the other partitions complete.
func TestSyncThrottlingExhausted(t *testing.T) {
	srv := startEmulator(t, exampleWorld(t), azemu.Options{Throttle: 1000, ThrottlePath: "roleAssignments", RetryAfter: 5 * time.Millisecond})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{Subscriptions: []string{prodSub}, MaxRetries: 2}))
	status, code := partitionStatus(res, prodSub, "azure_authorization_role_assignment")
	if status != store.StatusFailed || code != "Throttled" {
		t.Errorf("role assignments: status %s code %s, want failed Throttled", status, code)
	}
	if status, _ := partitionStatus(res, prodSub, "azure_storage_account"); status != store.StatusOK {
		t.Errorf("storage accounts: status %s, want ok", status)
	}
	if got := srv.Throttled(); got != 3 {
		t.Errorf("emulator sent %d 429 responses, want 3 (one try and two retries)", got)
	}
}

// TestSyncGraphQuota limits Resource Graph to 3 queries per 300 ms: the
// client reads the quota headers and holds its queries, so every partition
// completes.
func TestSyncGraphQuota(t *testing.T) {
	srv := startEmulator(t, azemu.Generate(1, 50, 2), azemu.Options{GraphQuota: 3, GraphWindow: 300 * time.Millisecond, RetryAfter: 300 * time.Millisecond})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{}))
	requireAllOK(t, res)
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource"); got != 50 {
		t.Errorf("azure_resource has %d rows, want 50", got)
	}
}

// TestSyncDeniedSubscription checks that a subscription that responds with 403
// becomes blind spots that keep their rows from an earlier sync, while
// deletions in a readable subscription are applied.
func TestSyncDeniedSubscription(t *testing.T) {
	world := azemu.Generate(2, 20, 3)
	srv := startEmulator(t, world, azemu.Options{})
	st := openStore(t)
	requireAllOK(t, runSync(t, st, newLive(t, srv, Options{})))
	first, second := world.Subscriptions[0].SubscriptionID, world.Subscriptions[1].SubscriptionID
	before := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource WHERE account_id = ?", second)
	if before != 20 {
		t.Fatalf("second subscription has %d resources after the first sync, want 20", before)
	}

	// Deny the second subscription and delete one resource of each.
	var deletedFirst, deletedSecond string
	err := srv.Update(func(w *azemu.World) {
		w.Subscriptions[1].Denied = true
		var kept []json.RawMessage
		for _, raw := range w.Resources {
			var r struct{ ID string }
			_ = json.Unmarshal(raw, &r)
			switch {
			case deletedFirst == "" && strings.Contains(r.ID, first):
				deletedFirst = strings.ToLower(r.ID)
				continue
			case deletedSecond == "" && strings.Contains(r.ID, second):
				deletedSecond = strings.ToLower(r.ID)
				continue
			}
			kept = append(kept, raw)
		}
		w.Resources = kept
	})
	if err != nil {
		t.Fatal(err)
	}
	res := runSync(t, st, newLive(t, srv, Options{}))

	if status, code := partitionStatus(res, second, "azure_resource"); status != store.StatusBlindSpot || code != "AuthorizationFailed" {
		t.Errorf("denied subscription: status %s code %s, want blind_spot AuthorizationFailed", status, code)
	}
	if status, _ := partitionStatus(res, first, "azure_resource"); status != store.StatusOK {
		t.Errorf("readable subscription: status %s, want ok", status)
	}
	if res.Summary.Status != store.RunPartial {
		t.Errorf("run status %s, want %s", res.Summary.Status, store.RunPartial)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource WHERE id = ?", deletedFirst); got != 0 {
		t.Errorf("resource deleted from a completed partition is still present: %s", deletedFirst)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource WHERE id = ?", deletedSecond); got != 1 {
		t.Errorf("resource of a blind-spot partition was removed: %s", deletedSecond)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource WHERE account_id = ?", first); got != 19 {
		t.Errorf("readable subscription has %d resources after one deletion, want 19", got)
	}
}

// TestSyncExplicitSubscriptionNotFound names a subscription the identity
// cannot see: it becomes a blind spot and the named readable one is read.
func TestSyncExplicitSubscriptionNotFound(t *testing.T) {
	srv := startEmulator(t, exampleWorld(t), azemu.Options{})
	st := openStore(t)
	missing := "00000000-0000-0000-0000-0000000000ff"
	res := runSync(t, st, newLive(t, srv, Options{Subscriptions: []string{prodSub, missing}}))
	if status, code := partitionStatus(res, missing, "azure_resource"); status != store.StatusBlindSpot || code != "SubscriptionNotFound" {
		t.Errorf("unknown subscription: status %s code %s, want blind_spot SubscriptionNotFound", status, code)
	}
	if status, _ := partitionStatus(res, prodSub, "azure_resource"); status != store.StatusOK {
		t.Errorf("named subscription: status %s, want ok", status)
	}
	if status, _ := partitionStatus(res, lockedSub, "azure_resource"); status != "" {
		t.Errorf("subscription that was not named was read: status %s", status)
	}
}

// TestSyncManagementGroup reads the subscriptions below a management group
// and records the groups in azure_subscription.
func TestSyncManagementGroup(t *testing.T) {
	srv := startEmulator(t, exampleWorld(t), azemu.Options{})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{ManagementGroups: []string{"prod"}}))
	requireAllOK(t, res)
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_subscription"); got != 1 {
		t.Errorf("azure_subscription has %d rows, want 1 (only the prod group's subscription)", got)
	}
	groups := queryValue[string](t, st, "SELECT array_to_string(management_group_ids, ',') FROM azure_subscription")
	if groups != "/providers/microsoft.management/managementgroups/prod" {
		t.Errorf("management_group_ids = %q, want the prod group", groups)
	}

	st2 := openStore(t)
	res = runSync(t, st2, newLive(t, srv, Options{ManagementGroups: []string{"root"}}))
	if got := queryValue[int64](t, st2, "SELECT count(*) FROM azure_subscription"); got != 2 {
		t.Errorf("root group: azure_subscription has %d rows, want 2", got)
	}
	if status, _ := partitionStatus(res, lockedSub, "azure_key_vault"); status != store.StatusBlindSpot {
		t.Errorf("denied subscription below root: status %s, want blind_spot", status)
	}
}

// TestSyncSkipsResourceDeletedMidSync makes the blob service call of one
// storage account return 404, as it does when the account was deleted
// after Resource Graph listed it: the account is skipped and the partition
// completes.
func TestSyncSkipsResourceDeletedMidSync(t *testing.T) {
	world := exampleWorld(t)
	account := "/subscriptions/" + prodSub + "/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stprodlogs"
	world.Errors = map[string]azemu.ErrorResponse{
		account + "/blobServices/default": {Status: 404, Code: "ResourceNotFound", Message: "The Resource was not found."},
	}
	srv := startEmulator(t, world, azemu.Options{})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{Subscriptions: []string{prodSub}}))
	requireAllOK(t, res)
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_storage_account"); got != 0 {
		t.Errorf("azure_storage_account has %d rows, want 0: the deleted account must be skipped", got)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource WHERE type = 'microsoft.storage/storageaccounts'"); got != 1 {
		t.Errorf("azure_resource has %d storage accounts, want 1 (it reads no detail)", got)
	}
}

// TestSyncMalformedResource serves a storage account whose properties are
// a string: that partition fails with the decode error, and the others,
// azure_resource included, complete.
func TestSyncMalformedResource(t *testing.T) {
	world := exampleWorld(t)
	world.Resources = append(world.Resources, json.RawMessage(`{"id": "/subscriptions/`+prodSub+
		`/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/broken", "name": "broken",
		"type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "properties": "not an object"}`))
	srv := startEmulator(t, world, azemu.Options{})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{Subscriptions: []string{prodSub}}))

	status, code := partitionStatus(res, prodSub, "azure_storage_account")
	if status != store.StatusFailed || code != "Error" {
		t.Errorf("storage accounts: status %s code %s, want failed Error", status, code)
	}
	for _, p := range res.Partitions {
		if p.Table == "azure_storage_account" && !strings.Contains(p.Error, "decode") {
			t.Errorf("storage accounts: error %q, want a decode error", p.Error)
		}
	}
	if status, _ := partitionStatus(res, prodSub, "azure_resource"); status != store.StatusOK {
		t.Errorf("azure_resource: status %s, want ok", status)
	}
	if got := queryValue[int64](t, st, "SELECT count(*) FROM azure_resource"); got != 8 {
		t.Errorf("azure_resource has %d rows, want 8", got)
	}
}

// TestSyncTruncatedGraphResult returns a truncated Resource Graph result
// without a skip token: the partitions that would miss rows fail instead
// of recording a partial inventory, and deletions are not applied.
func TestSyncTruncatedGraphResult(t *testing.T) {
	srv := startEmulator(t, azemu.Generate(1, 30, 4), azemu.Options{PageSize: 10, TruncateGraph: true})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{PageSize: 10}))
	sub := "00000000-0000-4000-8000-000000000001"
	status, _ := partitionStatus(res, sub, "azure_resource")
	if status != store.StatusFailed {
		t.Errorf("azure_resource: status %s, want failed", status)
	}
	for _, p := range res.Partitions {
		if p.Table == "azure_resource" && !strings.Contains(p.Error, "truncated") {
			t.Errorf("azure_resource: error %q, want one about truncation", p.Error)
		}
	}
	if status, _ := partitionStatus(res, sub, "azure_sql_server"); status != store.StatusOK {
		t.Errorf("azure_sql_server (3 rows, one page): status %s, want ok", status)
	}
}
