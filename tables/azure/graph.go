package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resourcegraph/armresourcegraph"
)

// Resource Graph quota headers. Every response reports how many queries the
// caller has left in the current window and when the window resets.
const (
	quotaRemainingHeader  = "x-ms-user-quota-remaining"
	quotaResetAfterHeader = "x-ms-user-quota-resets-after"
)

// maxQuotaWait bounds one wait for the Resource Graph quota to reset. The
// documented windows are 5 seconds long, so a longer reset time is
// treated as a malformed header.
const maxQuotaWait = 5 * time.Minute

// Graph runs Azure Resource Graph queries for every partition of a sync.
// It pages with skip tokens and, when a response reports that the quota is spent,
// holds every later query until the quota resets, so that the partitions
// that run at once share one budget instead of each hitting 429.
type Graph struct {
	client   *armresourcegraph.Client
	pageSize int32
	log      *slog.Logger

	mu       gosync.Mutex
	resumeAt time.Time
}

// NewGraph builds a Resource Graph client. pageSize is the number of rows
// requested per page (the service's maximum is 1,000).
func NewGraph(cred azcore.TokenCredential, opts *arm.ClientOptions, pageSize int, log *slog.Logger) (*Graph, error) {
	client, err := armresourcegraph.NewClient(cred, opts)
	if err != nil {
		return nil, fmt.Errorf("create Resource Graph client: %w", err)
	}
	if pageSize <= 0 || pageSize > 1000 {
		pageSize = 1000
	}
	if log == nil {
		log = slog.Default()
	}
	return &Graph{client: client, pageSize: int32(pageSize), log: log}, nil
}

// Query returns the text of the Resource Graph query for the resources of
// some types ("microsoft.storage/storageaccounts"), or of every type when
// types is empty. The emulator matches these forms.
func Query(types ...string) string {
	if len(types) == 0 {
		return "Resources | order by id asc"
	}
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = "'" + strings.ToLower(t) + "'"
	}
	return "Resources | where type in~ (" + strings.Join(quoted, ", ") + ") | order by id asc"
}

// Resources calls fn with every resource of the given types in one
// subscription, as the JSON row that Resource Graph returns.
func (g *Graph) Resources(ctx context.Context, subscriptionID string, types []string, fn func(json.RawMessage) error) error {
	query := Query(types...)
	var skipToken *string
	for page := 1; ; page++ {
		if err := g.waitForQuota(ctx); err != nil {
			return err
		}
		var raw *http.Response
		resp, err := g.client.Resources(runtime.WithCaptureResponse(ctx, &raw), armresourcegraph.QueryRequest{
			Query:         &query,
			Subscriptions: []*string{&subscriptionID},
			Options: &armresourcegraph.QueryRequestOptions{
				ResultFormat: ptr(armresourcegraph.ResultFormatObjectArray),
				Top:          &g.pageSize,
				SkipToken:    skipToken,
			},
		}, nil)
		if raw != nil {
			g.noteQuota(raw.Header)
		}
		if err != nil {
			return fmt.Errorf("query Resource Graph for %s (page %d): %w", typeList(types), page, err)
		}
		rows, ok := resp.Data.([]any)
		if resp.Data != nil && !ok {
			return fmt.Errorf("query Resource Graph for %s: got data of type %T, want an array of objects", typeList(types), resp.Data)
		}
		for _, row := range rows {
			b, err := json.Marshal(row)
			if err != nil {
				return fmt.Errorf("encode Resource Graph row: %w", err)
			}
			if err := fn(b); err != nil {
				return err
			}
		}
		if resp.SkipToken == nil || *resp.SkipToken == "" {
			// A truncated result without a skip token cannot be paged
			// further, so the partition would miss resources.
			if resp.ResultTruncated != nil && *resp.ResultTruncated == armresourcegraph.ResultTruncatedTrue {
				return fmt.Errorf("query Resource Graph for %s: result truncated after %d rows without a skip token", typeList(types), len(rows))
			}
			return nil
		}
		skipToken = resp.SkipToken
	}
}

// noteQuota reads the quota headers of a response. When no query is left
// in the window, later queries wait until it resets.
func (g *Graph) noteQuota(h http.Header) {
	remaining, err := strconv.Atoi(h.Get(quotaRemainingHeader))
	if err != nil || remaining > 0 {
		return
	}
	wait, ok := parseQuotaReset(h.Get(quotaResetAfterHeader))
	if !ok {
		wait = time.Second
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if at := time.Now().Add(wait); at.After(g.resumeAt) {
		g.resumeAt = at
		g.log.Info("Resource Graph quota spent, holding queries", "wait", wait)
	}
}

func (g *Graph) waitForQuota(ctx context.Context) error {
	g.mu.Lock()
	wait := time.Until(g.resumeAt)
	g.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseQuotaReset parses the hh:mm:ss form of the reset header.
func parseQuotaReset(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	var total time.Duration
	units := []time.Duration{time.Hour, time.Minute, time.Second}
	for i, p := range parts {
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		total += time.Duration(n * float64(units[i]))
	}
	if total > maxQuotaWait {
		return 0, false
	}
	return total, true
}

func typeList(types []string) string {
	if len(types) == 0 {
		return "every resource type"
	}
	return strings.Join(types, ", ")
}

func ptr[T any](v T) *T { return &v }
