// Package azure is the Azure provider of the sync engine. It finds the
// subscriptions to read, directly, from the identity's subscription list
// or below management groups, and gives each partition the clients of
// tables/azure. Every Azure table is global, so partitions are
// subscription x table.
package azure

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/managementgroups/armmanagementgroups"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions/v2"

	"github.com/stance-cspm/stance/sync"
	"github.com/stance-cspm/stance/tables"
	aztables "github.com/stance-cspm/stance/tables/azure"
)

// EndpointEnv names the environment variable that points stance at
// another ARM endpoint, such as the emulator, when --cloud-endpoint is not
// given.
const EndpointEnv = "STANCE_AZURE_ENDPOINT"

// TokenEnv names the environment variable that holds a ready bearer token
// for ARM (from `az account get-access-token`, or any token for the
// emulator). When it is set, stance uses it instead of
// DefaultAzureCredential.
const TokenEnv = "STANCE_AZURE_ACCESS_TOKEN"

// Options select what a live Azure sync reads.
type Options struct {
	// TenantID is the Microsoft Entra tenant to authenticate in and to
	// read subscriptions of; empty means the credential's home tenant.
	TenantID string
	// Subscriptions to read; empty means every subscription that the
	// identity can list (or that ManagementGroups contain).
	Subscriptions []string
	// ManagementGroups whose descendant subscriptions are read.
	ManagementGroups []string
	// Cloud is the Azure cloud to read: AzurePublic (the default),
	// AzureChina or AzureGovernment. It sets the ARM endpoint and the
	// Microsoft Entra authority.
	Cloud string
	// Endpoint is the ARM base URL; empty means the cloud's own.
	Endpoint string
	// Credential authenticates the requests; nil means the token in
	// TokenEnv when set, else DefaultAzureCredential.
	Credential azcore.TokenCredential
	// RootCAs are the certificate authorities that the client trusts;
	// nil means the system pool, which honours SSL_CERT_FILE.
	RootCAs *x509.CertPool
	// MaxRetries bounds the SDK's retries of throttled (429) and failing
	// (5xx) requests (default 6).
	MaxRetries int
	// RetryDelay is the first backoff of a retry without a Retry-After
	// header (default 800 ms, the SDK's).
	RetryDelay time.Duration
	// PageSize is the number of rows per Resource Graph page (default
	// 1,000, the service's maximum).
	PageSize int
	// Concurrency is the number of per-resource ARM calls that run at once
	// inside one partition (default 8).
	Concurrency int
	Logger      *slog.Logger
}

// Live reads Azure through the Azure SDK for Go.
type Live struct {
	opts     Options
	cred     azcore.TokenCredential
	armOpts  *arm.ClientOptions
	graph    *aztables.Graph
	endpoint string
	log      *slog.Logger
}

// NewLive sets up the credential and the clients. It makes no request.
func NewLive(opts Options) (*Live, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxRetries <= 0 {
		opts.MaxRetries = 6
	}
	endpoint := opts.Endpoint
	if endpoint == "" {
		endpoint = os.Getenv(EndpointEnv)
	}
	cfg, err := cloudConfig(opts.Cloud)
	if err != nil {
		return nil, err
	}
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("invalid Azure endpoint %q: want an https:// URL such as https://management.azure.com (the Azure SDK sends tokens only over TLS)", endpoint)
		}
		cfg = cloud.Configuration{
			ActiveDirectoryAuthorityHost: cfg.ActiveDirectoryAuthorityHost,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {
					Endpoint: strings.TrimRight(endpoint, "/"),
					Audience: cfg.Services[cloud.ResourceManager].Audience,
				},
			},
		}
	}
	transport := &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		TLSClientConfig:     &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12},
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}}
	clientOpts := policy.ClientOptions{
		Cloud:     cfg,
		Transport: transport,
		Retry: policy.RetryOptions{
			MaxRetries: int32(opts.MaxRetries),
			RetryDelay: opts.RetryDelay,
		},
	}
	armOpts := &arm.ClientOptions{ClientOptions: clientOpts}

	cred := opts.Credential
	if cred == nil {
		if token := os.Getenv(TokenEnv); token != "" {
			cred = StaticToken(token)
		} else {
			var err error
			cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
				ClientOptions: clientOpts,
				TenantID:      opts.TenantID,
			})
			if err != nil {
				return nil, fmt.Errorf("set up Azure credentials (environment, workload identity, managed identity or Azure CLI): %w", err)
			}
		}
	}
	graph, err := aztables.NewGraph(cred, armOpts, opts.PageSize, opts.Logger)
	if err != nil {
		return nil, err
	}
	return &Live{opts: opts, cred: cred, armOpts: armOpts, graph: graph, endpoint: endpoint, log: opts.Logger}, nil
}

// cloudConfig returns the SDK's configuration of a named Azure cloud.
func cloudConfig(name string) (cloud.Configuration, error) {
	switch strings.ToLower(name) {
	case "", "azurepublic", "azurecloud", "public":
		return cloud.AzurePublic, nil
	case "azurechina", "azurechinacloud", "china":
		return cloud.AzureChina, nil
	case "azuregovernment", "azureusgovernment", "usgovernment":
		return cloud.AzureGovernment, nil
	}
	return cloud.Configuration{}, fmt.Errorf("invalid Azure cloud %q: want AzurePublic, AzureChina or AzureGovernment", name)
}

// Name returns "azure".
func (*Live) Name() string { return aztables.Provider }

// Source returns "live", or "endpoint:URL" for another ARM endpoint.
func (l *Live) Source() string {
	if l.endpoint != "" {
		return "endpoint:" + l.endpoint
	}
	return "live"
}

// Classify maps errors to blind spots and failures.
func (*Live) Classify(err error) (string, string) { return Classify(err) }

// Scopes finds the subscriptions to read: one scope per subscription,
// with the single region "global".
func (l *Live) Scopes(ctx context.Context) ([]sync.Scope, error) {
	subsClient, err := armsubscriptions.NewClient(l.cred, l.armOpts)
	if err != nil {
		return nil, fmt.Errorf("create subscriptions client: %w", err)
	}
	listed, err := l.listSubscriptions(ctx, subsClient)
	if err != nil {
		return nil, err
	}

	groupsOf := map[string][]string{}
	var wanted []string
	for _, g := range l.opts.ManagementGroups {
		subs, err := l.managementGroupSubscriptions(ctx, g)
		if err != nil {
			return nil, err
		}
		for sub, groups := range subs {
			if _, seen := groupsOf[sub]; !seen {
				wanted = append(wanted, sub)
			}
			groupsOf[sub] = appendUnique(groupsOf[sub], groups...)
		}
	}
	for _, s := range l.opts.Subscriptions {
		sub := strings.ToLower(strings.TrimSpace(s))
		if _, seen := groupsOf[sub]; !seen {
			wanted = append(wanted, sub)
			groupsOf[sub] = nil
		}
	}
	if len(l.opts.ManagementGroups) == 0 && len(l.opts.Subscriptions) == 0 {
		for id := range listed {
			wanted = append(wanted, id)
		}
		if len(wanted) == 0 {
			return nil, fmt.Errorf("the credentials can list no subscription: give the identity the Reader role on a subscription, or name one with --subscription")
		}
	}
	sort.Strings(wanted)

	scopes := make([]sync.Scope, 0, len(wanted))
	for _, id := range wanted {
		sub, ok := listed[id]
		if !ok {
			resp, err := subsClient.Get(ctx, id, nil)
			if err != nil {
				scopes = append(scopes, sync.Scope{AccountID: id, Regions: []string{tables.GlobalRegion},
					Err: aztables.ShortenError(fmt.Errorf("get subscription %s: %w", id, err))})
				continue
			}
			sub = &resp.Subscription
		}
		clients := &aztables.Clients{
			SubscriptionID:   id,
			Credential:       l.cred,
			Options:          l.armOpts,
			Graph:            l.graph,
			Subscription:     sub,
			ManagementGroups: groupsOf[id],
			Concurrency:      l.opts.Concurrency,
		}
		scopes = append(scopes, sync.Scope{
			AccountID: id,
			Regions:   []string{tables.GlobalRegion},
			Client:    func(string) (any, error) { return clients, nil },
		})
	}
	l.log.Info("subscriptions found", "subscriptions", len(scopes))
	return scopes, nil
}

// listSubscriptions returns the subscriptions that the identity can list,
// by lower-cased id, without deleted ones and, with --tenant, only those
// of that tenant.
func (l *Live) listSubscriptions(ctx context.Context, client *armsubscriptions.Client) (map[string]*armsubscriptions.Subscription, error) {
	out := map[string]*armsubscriptions.Subscription{}
	pages := client.NewListPager(nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, aztables.ShortenError(fmt.Errorf("list subscriptions (check the Azure credentials: az login, AZURE_CLIENT_ID and AZURE_TENANT_ID, or a managed identity): %w", err))
		}
		for _, s := range page.Value {
			if s == nil || s.SubscriptionID == nil {
				continue
			}
			if s.State != nil && *s.State == armsubscriptions.SubscriptionStateDeleted {
				continue
			}
			// A tenant given as a domain cannot be compared with the
			// subscription's tenant id; the credential is bound to it anyway.
			if isGUID(l.opts.TenantID) && s.TenantID != nil && !strings.EqualFold(*s.TenantID, l.opts.TenantID) {
				continue
			}
			out[strings.ToLower(*s.SubscriptionID)] = s
		}
	}
	return out, nil
}

// managementGroupSubscriptions returns the subscriptions below a
// management group, each with the ids of the groups that contain it.
func (l *Live) managementGroupSubscriptions(ctx context.Context, group string) (map[string][]string, error) {
	client, err := armmanagementgroups.NewClient(l.cred, l.armOpts)
	if err != nil {
		return nil, fmt.Errorf("create management groups client: %w", err)
	}
	groupID := "/providers/Microsoft.Management/managementGroups/" + group
	out := map[string][]string{}
	pages := client.NewGetDescendantsPager(group, nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, aztables.ShortenError(fmt.Errorf("list the descendants of management group %s (the identity needs Reader on the group): %w", group, err))
		}
		for _, d := range page.Value {
			if d == nil || d.Type == nil || d.Name == nil || !strings.EqualFold(*d.Type, "Microsoft.Management/managementGroups/subscriptions") {
				continue
			}
			groups := []string{groupID}
			if d.Properties != nil && d.Properties.Parent != nil && d.Properties.Parent.ID != nil {
				groups = appendUnique(groups, *d.Properties.Parent.ID)
			}
			sub := strings.ToLower(*d.Name)
			out[sub] = appendUnique(out[sub], groups...)
		}
	}
	l.log.Info("management group read", "management_group", group, "subscriptions", len(out))
	return out, nil
}

func appendUnique(list []string, items ...string) []string {
	for _, item := range items {
		found := false
		for _, have := range list {
			if strings.EqualFold(have, item) {
				found = true
				break
			}
		}
		if !found {
			list = append(list, item)
		}
	}
	return list
}

// isGUID reports whether s has the 8-4-4-4-12 hexadecimal form of a GUID.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
