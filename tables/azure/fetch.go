package azure

import (
	"context"
	"encoding/json"
	gosync "sync"

	"github.com/stance-cspm/stance/tables"
)

// graphResources returns every resource of one type in the subscription,
// read through Resource Graph and decoded into an SDK model type.
func graphResources[T any](ctx context.Context, c *Clients, resourceType string) ([]*T, error) {
	var out []*T
	err := c.Graph.Resources(ctx, c.SubscriptionID, []string{resourceType}, func(raw json.RawMessage) error {
		v, err := decode[T](raw)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// eachConcurrently calls fn for every item, at most limit at once, and
// passes the records fn emits on to emit one at a time. The first error
// stops the items not yet started and is returned.
func eachConcurrently[T any](ctx context.Context, limit int, items []T, fn func(context.Context, T, func(tables.Record) error) error, emit func(tables.Record) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       gosync.Mutex
		firstErr error
		wg       gosync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	locked := func(rec tables.Record) error {
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil {
			return firstErr
		}
		return emit(rec)
	}

	sem := make(chan struct{}, limit)
	for _, item := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(item T) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, item, locked); err != nil {
				fail(err)
			}
		}(item)
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// graphEach calls fn with every resource of one type in the subscription,
// decoded twice from the same Resource Graph row: into the SDK model type
// T and into E, which picks out fields that Resource Graph adds.
func graphEach[T, E any](ctx context.Context, c *Clients, resourceType string, fn func(*T, *E) error) error {
	return c.Graph.Resources(ctx, c.SubscriptionID, []string{resourceType}, func(raw json.RawMessage) error {
		v, err := decode[T](raw)
		if err != nil {
			return err
		}
		extra, err := decode[E](raw)
		if err != nil {
			return err
		}
		return fn(v, extra)
	})
}
