// Package aws is the AWS provider of the sync engine. It finds the
// accounts and regions to read, with credentials from the SDK's standard
// chain or from a folder of AWS CLI outputs. Each partition gets the
// service clients of tables/aws.
package aws

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sort"
	gosync "sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stance-cspm/stance/sync"
	awstables "github.com/stance-cspm/stance/tables/aws"
)

// Options select what a live AWS sync reads.
type Options struct {
	// Profile is a shared config profile; empty uses the default chain
	// (environment, profile, SSO, web identity, instance role).
	Profile string
	// Regions to read; empty means every region enabled for each account.
	Regions []string
	// Accounts to read by assuming RoleName in each; empty means the
	// account of the credentials only.
	Accounts []string
	// RoleName is the role assumed in each account of Accounts or of the
	// organisation. It is not assumed in the credentials' own account.
	RoleName string
	// ExternalID is passed when assuming RoleName, if set.
	ExternalID string
	// Org discovers the member accounts of the AWS Organization.
	Org bool
	// MaxAttempts bounds the SDK's retries on throttling and 5xx (default 10).
	MaxAttempts int
	Logger      *slog.Logger
}

// Live reads AWS through the SDK.
type Live struct {
	opts Options
	cfg  aws.Config
	log  *slog.Logger
}

// NewLive loads the SDK configuration. It makes no call to AWS.
func NewLive(ctx context.Context, opts Options) (*Live, error) {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	loadOpts := []func(*config.LoadOptions) error{
		// The adaptive retryer backs off on throttling and 5xx responses and
		// slows the client down while the service keeps throttling.
		config.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = opts.MaxAttempts
				})
			})
		}),
	}
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration (profile %q): %w", opts.Profile, err)
	}
	if cfg.Region == "" {
		cfg.Region = awstables.HomeRegion
	}
	return &Live{opts: opts, cfg: cfg, log: opts.Logger}, nil
}

// Name returns "aws".
func (*Live) Name() string { return awstables.Provider }

// Source returns "live", or "endpoint:URL" when AWS_ENDPOINT_URL points
// the SDK elsewhere.
func (l *Live) Source() string {
	if u := os.Getenv("AWS_ENDPOINT_URL"); u != "" {
		return "endpoint:" + u
	}
	return "live"
}

// Classify maps errors to blind spots and failures.
func (*Live) Classify(err error) (string, string) { return classify(err) }

// Scopes finds the accounts to read and, in each, the regions.
func (l *Live) Scopes(ctx context.Context) ([]sync.Scope, error) {
	ident, err := sts.NewFromConfig(l.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("identify the credentials with sts:GetCallerIdentity (check AWS_PROFILE or --profile): %w", err)
	}
	self := aws.ToString(ident.Account)
	l.log.Info("credentials identified", "account_id", self, "arn", aws.ToString(ident.Arn))

	accounts := []string{self}
	switch {
	case l.opts.Org:
		accounts, err = l.orgAccounts(ctx)
		if err != nil {
			return nil, err
		}
	case len(l.opts.Accounts) > 0:
		accounts = l.opts.Accounts
	}
	if len(accounts) > 1 || accounts[0] != self {
		if l.opts.RoleName == "" {
			return nil, fmt.Errorf("reading accounts other than %s needs --role-name, the role to assume in each", self)
		}
	}

	var scopes []sync.Scope
	for _, account := range accounts {
		scopes = append(scopes, l.scope(ctx, account, self))
	}
	return scopes, nil
}

func (l *Live) scope(ctx context.Context, account, self string) sync.Scope {
	cfg := l.cfg.Copy()
	if account != self {
		roleARN := fmt.Sprintf("arn:aws:iam::%s:role/%s", account, l.opts.RoleName)
		provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(l.cfg), roleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "stance-sync"
			if l.opts.ExternalID != "" {
				o.ExternalID = aws.String(l.opts.ExternalID)
			}
		})
		cfg.Credentials = aws.NewCredentialsCache(provider)
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return sync.Scope{AccountID: account, Regions: l.opts.Regions,
				Err: fmt.Errorf("assume role %s: %w", roleARN, err)}
		}
	}
	regions := l.opts.Regions
	if len(regions) == 0 {
		var err error
		regions, err = enabledRegions(ctx, cfg)
		if err != nil {
			return sync.Scope{AccountID: account, Regions: []string{cfg.Region},
				Err: fmt.Errorf("list enabled regions with ec2:DescribeRegions: %w", err)}
		}
	}
	return sync.Scope{AccountID: account, Regions: regions, Client: clientCache(func(region string) (*awstables.Clients, error) {
		return awstables.NewClients(cfg, account, region), nil
	})}
}

// clientCache builds each region's clients once and shares them among the
// tables of that region.
func clientCache(build func(region string) (*awstables.Clients, error)) func(string) (any, error) {
	var mu gosync.Mutex
	cache := map[string]*awstables.Clients{}
	return func(region string) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		if c, ok := cache[region]; ok {
			return c, nil
		}
		c, err := build(region)
		if err != nil {
			return nil, err
		}
		cache[region] = c
		return c, nil
	}
}

func enabledRegions(ctx context.Context, cfg aws.Config) ([]string, error) {
	// Without AllRegions, DescribeRegions returns the regions enabled for
	// the account: opt-in regions that are not enabled are left out.
	out, err := ec2.NewFromConfig(cfg).DescribeRegions(ctx, &ec2.DescribeRegionsInput{})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, r := range out.Regions {
		regions = append(regions, aws.ToString(r.RegionName))
	}
	sort.Strings(regions)
	return regions, nil
}

func (l *Live) orgAccounts(ctx context.Context) ([]string, error) {
	var accounts []string
	pages := organizations.NewListAccountsPaginator(organizations.NewFromConfig(l.cfg), &organizations.ListAccountsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list organization accounts with organizations:ListAccounts (run from the management or a delegated administrator account): %w", err)
		}
		for _, a := range page.Accounts {
			if a.Status == orgtypes.AccountStatusActive {
				accounts = append(accounts, aws.ToString(a.Id))
			}
		}
	}
	if len(accounts) == 0 {
		return nil, fmt.Errorf("the organization lists no active account")
	}
	l.log.Info("organization accounts found", "accounts", len(accounts))
	return accounts, nil
}
