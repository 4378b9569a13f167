// Package azureworld holds the Azure tenant that `stance demo` syncs next
// to the AWS estate of package demo: a world file for the Azure emulator
// (internal/emulator/azure), embedded in the binary, and the list of
// misconfigurations planted in it.
//
// The tenant has two subscriptions under one management group tree.
// contoso-prod runs a web shop and is partly misconfigured; the findings
// that Planted lists are there. contoso-platform holds the shared logging,
// key management and database services and passes every control of the
// CIS Azure Foundations pack. Sync serves the world over HTTPS on
// 127.0.0.1 to the real Azure SDK clients of sync/azure, so the demo needs
// no network and no credentials.
package azureworld

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"time"

	azemu "github.com/stance-cspm/stance/internal/emulator/azure"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/sync"
	syncazure "github.com/stance-cspm/stance/sync/azure"
)

//go:embed world.json
var worldJSON []byte

// Subscription IDs and the tenant of the demo world.
const (
	TenantID               = "7e3a9c51-2b84-4d6f-a0c2-5e8f1b3d9a47"
	ProdSubscriptionID     = "5b1e8c3a-7d42-4f0e-9a61-0c2d4e6f8a10"
	PlatformSubscriptionID = "9c4f2a7e-1b63-4d85-8e20-3f5a6b7c8d90"
)

// World parses the embedded world file. Each call returns a new World, so
// a caller may change it without affecting later calls.
func World() (*azemu.World, error) {
	w, err := azemu.ParseWorld(worldJSON)
	if err != nil {
		return nil, fmt.Errorf("parse the Azure demo world: %w", err)
	}
	return w, nil
}

// Sync starts the emulator with the demo world on 127.0.0.1, syncs both
// subscriptions into st with the sync time that now returns, and stops the
// emulator. The emulator accepts any bearer token, so the provider gets a
// fixed one and never looks for real credentials.
func Sync(ctx context.Context, st *store.Store, now func() time.Time, logger *slog.Logger) (*sync.Result, error) {
	w, err := World()
	if err != nil {
		return nil, err
	}
	srv, err := azemu.Start(w, azemu.Options{})
	if err != nil {
		return nil, fmt.Errorf("start the Azure emulator: %w", err)
	}
	defer srv.Close()

	p, err := syncazure.NewLive(syncazure.Options{
		Endpoint:   srv.URL(),
		RootCAs:    srv.CertPool(),
		Credential: syncazure.StaticToken("stance-demo"),
		Logger:     logger,
	})
	if err != nil {
		return nil, fmt.Errorf("connect to the Azure emulator: %w", err)
	}
	res, err := sync.Run(ctx, st, p, sync.Options{Now: now, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("sync the Azure demo world: %w", err)
	}
	return res, nil
}
