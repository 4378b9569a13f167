// Package azure defines stance's Azure tables: one file per table, each
// with its columns, description, fetch function and row builder. Fetch
// functions read inventory through Azure Resource Graph. They read the
// settings that Resource Graph does not return through the ARM SDK
// clients in Clients. Row builders take the SDK's model types, so a resource decoded
// from a Resource Graph row, from an ARM response or from a published
// example file goes through the same code.
//
// Every Azure table is global: the engine reads it once per subscription,
// and each row keeps the resource's location in its region column. The
// key of a row is its ARM resource id in lower case, because ARM ids are
// case-insensitive and APIs return them in varying case. The arm_id
// column keeps the id as returned.
package azure

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions/v2"

	"github.com/stance-cspm/stance/tables"
)

// Provider is the name of the Azure provider and the prefix of its tables.
const Provider = "azure"

// Clients holds what a fetch function needs to read one subscription.
type Clients struct {
	SubscriptionID string
	// Credential and Options build the ARM SDK clients. Options carries
	// the cloud configuration (the ARM endpoint) and the transport.
	Credential azcore.TokenCredential
	Options    *arm.ClientOptions
	// Graph runs Resource Graph queries. It is shared by every
	// subscription of a run, so its throttling state is too.
	Graph *Graph
	// Subscription is the subscription as the subscription list or a
	// GET of the subscription returned it; nil makes azure_subscription
	// read it again.
	Subscription *armsubscriptions.Subscription
	// ManagementGroups are the ids of the management groups through which
	// the subscription was found, when it was found through one.
	ManagementGroups []string
	// Concurrency is the number of per-resource ARM calls that run at
	// once inside one partition (default 8).
	Concurrency int
}

// FetchFunc is the signature of an Azure table's fetch function.
type FetchFunc func(ctx context.Context, c *Clients, emit func(tables.Record) error) error

// register adds an Azure table to the registry, wrapping its typed fetch
// function. Every Azure table is global: see the package comment.
func register(t *tables.Table, fetch FetchFunc) {
	t.Provider = Provider
	t.Global = true
	t.Fetch = func(ctx context.Context, target tables.Target, emit func(tables.Record) error) error {
		c, ok := target.Client.(*Clients)
		if !ok {
			return fmt.Errorf("table %s: got client %T, want *azure.Clients", t.Name, target.Client)
		}
		return ShortenError(fetch(ctx, c, emit))
	}
	tables.Register(t)
}

func (c *Clients) concurrency() int {
	if c.Concurrency <= 0 {
		return 8
	}
	return c.Concurrency
}
