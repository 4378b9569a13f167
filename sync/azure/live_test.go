package azure

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	azemu "github.com/stance-cspm/stance/internal/emulator/azure"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
)

const (
	prodSub   = "00000000-0000-0000-0000-000000000001"
	lockedSub = "00000000-0000-0000-0000-000000000002"
)

// exampleWorld loads the emulator's example world, the one its package
// documentation describes.
func exampleWorld(t *testing.T) *azemu.World {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	w, err := azemu.LoadWorld(filepath.Join(filepath.Dir(file), "..", "..", "internal", "emulator", "azure", "testdata", "world.json"))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func startEmulator(t *testing.T, w *azemu.World, opts azemu.Options) *azemu.Server {
	t.Helper()
	srv, err := azemu.Start(w, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// newLive returns a provider that reads the emulator through the real SDK
// clients, trusting the emulator's certificate and with a test token.
func newLive(t *testing.T, srv *azemu.Server, opts Options) *Live {
	t.Helper()
	opts.Endpoint = srv.URL()
	opts.RootCAs = srv.CertPool()
	opts.Credential = StaticToken("test-token")
	if opts.RetryDelay == 0 {
		opts.RetryDelay = 10 * time.Millisecond
	}
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	l, err := NewLive(opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "stance.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func runSync(t *testing.T, st *store.Store, p sync.Provider) *sync.Result {
	t.Helper()
	res, err := sync.Run(context.Background(), st, p, sync.Options{Concurrency: 4, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func queryValue[T any](t *testing.T, st *store.Store, query string, args ...any) T {
	t.Helper()
	var v T
	if err := st.DB().QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

func partitionStatus(res *sync.Result, account, table string) (status, code string) {
	for _, p := range res.Partitions {
		if p.AccountID == account && p.Table == table {
			return p.Status, p.ErrorCode
		}
	}
	return "", ""
}

func TestLiveSyncExampleWorld(t *testing.T) {
	srv := startEmulator(t, exampleWorld(t), azemu.Options{})
	st := openStore(t)
	res := runSync(t, st, newLive(t, srv, Options{}))

	for _, p := range res.Partitions {
		if p.AccountID == prodSub && p.Status != store.StatusOK {
			t.Errorf("partition %s of %s: status %s (%s: %s), want ok", p.Table, p.AccountID, p.Status, p.ErrorCode, p.Error)
		}
	}
	if status, code := partitionStatus(res, lockedSub, "azure_storage_account"); status != store.StatusBlindSpot || code != "AuthorizationFailed" {
		t.Errorf("denied subscription: status %s code %s, want blind_spot AuthorizationFailed", status, code)
	}

	for _, p := range res.Partitions {
		if p.AccountID != lockedSub || p.Table == "azure_subscription" {
			// The subscription list, which the denied subscription can
			// read, fills azure_subscription.
			continue
		}
		if strings.Contains(p.Error, "\n") || !strings.Contains(p.Error, "403 AuthorizationFailed: The client does not have authorization") {
			t.Errorf("blind spot %s: error %q, want one line with the status, code and message", p.Table, p.Error)
		}
	}

	checks := []struct {
		query string
		want  any
	}{
		{"SELECT count(*) FROM azure_resource", int64(7)},
		{"SELECT min_tls_version FROM azure_app_service_web_app", "1.0"},
		{"SELECT https_only FROM azure_app_service_web_app", false},
		{"SELECT minimum_tls_version FROM azure_storage_account", "TLS1_0"},
		{"SELECT allow_blob_public_access FROM azure_storage_account", true},
		{"SELECT blob_delete_retention_policy_enabled FROM azure_storage_account", false},
		{"SELECT region FROM azure_storage_account", "westeurope"},
		{"SELECT account_id FROM azure_storage_account", prodSub},
		{"SELECT count(*) FROM azure_network_security_group_rule", int64(2)},
		{`SELECT count(*) FROM azure_network_security_group_rule WHERE direction = 'Inbound' AND access = 'Allow' AND source_is_internet
		  AND list_bool_or(list_transform(destination_port_ranges_normalized, r -> split_part(r, '-', 1)::INT <= 22 AND 22 <= split_part(r, '-', 2)::INT))`, int64(1)},
		{"SELECT auditing_state FROM azure_sql_server", "Disabled"},
		{"SELECT tde_protector_server_key_type FROM azure_sql_server", "ServiceManaged"},
		{"SELECT transparent_data_encryption_state FROM azure_sql_database", "Enabled"},
		{"SELECT allows_azure_services FROM azure_sql_server_firewall_rule", true},
		{"SELECT strftime(expires, '%Y-%m-%d') FROM azure_key_vault_key", "2027-01-01"},
		{"SELECT count(*) FROM azure_key_vault_secret WHERE expires IS NULL", int64(1)},
		{"SELECT pricing_tier FROM azure_security_pricing WHERE name = 'StorageAccounts'", "Free"},
		{"SELECT alert_minimal_severity FROM azure_security_contact", "Medium"},
		{"SELECT len(enabled_log_categories) FROM azure_monitor_diagnostic_setting", int64(2)},
		{"SELECT operation_name FROM azure_monitor_activity_log_alert", "Microsoft.Network/networkSecurityGroups/write"},
		{"SELECT role_name FROM azure_authorization_role_definition r JOIN azure_authorization_role_assignment a ON a.role_definition_id = r.id", "Owner"},
		{"SELECT count(*) FROM azure_subscription", int64(2)},
	}
	for _, c := range checks {
		got := queryValue[any](t, st, c.query)
		if got != c.want {
			t.Errorf("%s: got %v (%T), want %v", c.query, got, got, c.want)
		}
	}
}
