// Package gcp is the Google Cloud provider of the sync engine. Live sync
// reads projects through the Cloud Asset Inventory ListAssets API with
// Application Default Credentials; import reads the files that Cloud
// Asset Inventory exports. Both hand the tables of tables/gcp a Lister per
// project.
package gcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	asset "cloud.google.com/go/asset/apiv1"
	"cloud.google.com/go/asset/apiv1/assetpb"
	gax "github.com/googleapis/gax-go/v2"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/stance-cspm/stance/internal/gcpasset"
	"github.com/stance-cspm/stance/sync"
	gcptables "github.com/stance-cspm/stance/tables/gcp"
)

// EndpointEnv names the environment variable that points live sync at
// another Cloud Asset Inventory endpoint, such as an emulator.
const EndpointEnv = "STANCE_GCP_ASSET_ENDPOINT"

// Options select what a live GCP sync reads.
type Options struct {
	// Organizations and Folders are numeric IDs whose projects are
	// discovered and read, each project as its own scope.
	Organizations []string
	Folders       []string
	// Projects are project IDs (or numbers) read directly.
	Projects []string
	// AssetTypes limits gcp_asset to these types, one partition each.
	AssetTypes []string
	// Endpoint is host:port of the Cloud Asset Inventory API. Empty means
	// $STANCE_GCP_ASSET_ENDPOINT, else Google's. A loopback endpoint is
	// taken for an emulator and reached over plain gRPC without
	// credentials.
	Endpoint string
	// PageSize is the number of assets per ListAssets page (default 500,
	// the API's maximum is 1000).
	PageSize int32
	// MaxAttempts bounds the attempts of one page request on
	// RESOURCE_EXHAUSTED and UNAVAILABLE (default 8).
	MaxAttempts int
	// Backoff is the first retry pause (default 1s), which doubles with
	// each retry up to 30s.
	Backoff time.Duration
	Logger  *slog.Logger
	// ClientOptions are added to the API client's options.
	ClientOptions []option.ClientOption
}

// Live reads GCP through the Cloud Asset Inventory API.
type Live struct {
	opts   Options
	client *asset.Client
	log    *slog.Logger
}

// NewLive creates the API client. It makes no call to the API: credentials
// are checked by the first request.
func NewLive(ctx context.Context, opts Options) (*Live, error) {
	if len(opts.Organizations)+len(opts.Folders)+len(opts.Projects) == 0 {
		return nil, errors.New("nothing to read: pass --project, --folder or --organization")
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	if opts.PageSize > 1000 {
		return nil, fmt.Errorf("invalid page size %d: the API accepts 1 to 1000", opts.PageSize)
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Endpoint == "" {
		opts.Endpoint = os.Getenv(EndpointEnv)
	}

	for _, ids := range [][]string{opts.Organizations, opts.Folders} {
		for _, id := range ids {
			if !isDigits(id) {
				return nil, fmt.Errorf("invalid organization or folder ID %q: want the numeric ID, such as 123456789012", id)
			}
		}
	}

	var clientOpts []option.ClientOption
	if opts.Endpoint != "" {
		clientOpts = append(clientOpts, option.WithEndpoint(opts.Endpoint))
		if isLoopback(opts.Endpoint) {
			clientOpts = append(clientOpts, option.WithoutAuthentication(),
				option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())))
		}
	}
	clientOpts = append(clientOpts, opts.ClientOptions...)
	client, err := asset.NewClient(ctx, clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("create the Cloud Asset Inventory client (check Application Default Credentials: gcloud auth application-default login): %w", err)
	}
	return &Live{opts: opts, client: client, log: opts.Logger}, nil
}

// Close releases the API connection.
func (l *Live) Close() error { return l.client.Close() }

// Name returns "gcp".
func (*Live) Name() string { return gcptables.Provider }

// Source returns "live", or "endpoint:HOST:PORT" for another endpoint.
func (l *Live) Source() string {
	if l.opts.Endpoint != "" {
		return "endpoint:" + l.opts.Endpoint
	}
	return "live"
}

// Classify maps gRPC errors to blind spots and failures.
func (*Live) Classify(err error) (string, string) { return classify(err) }

// Scopes returns one scope per project: those named, and those found in
// each organization and folder. Discovery also reads the IAM and
// organization policies of the folders and organizations, which their
// projects inherit.
//
// NOTE: resources that live on a folder or the organization itself, such
// as organization log sinks, are not read live, while an import files
// them under organizations/ID.
func (l *Live) Scopes(ctx context.Context) ([]sync.Scope, error) {
	policies := map[string]*gcpasset.Asset{}
	var ancestorsOf = map[string][]string{}
	projects := slices.Clone(l.opts.Projects)
	for _, parent := range l.parents() {
		found, err := l.discover(ctx, parent, ancestorsOf)
		if err != nil {
			return nil, err
		}
		l.log.Info("projects found", "parent", parent, "projects", len(found))
		projects = append(projects, found...)
		if err := l.readAncestorPolicies(ctx, parent, policies); err != nil {
			return nil, err
		}
	}
	slices.Sort(projects)
	projects = slices.Compact(projects)
	if len(projects) == 0 {
		return nil, fmt.Errorf("no active project found in %s", strings.Join(l.parents(), ", "))
	}

	scopes := make([]sync.Scope, 0, len(projects))
	for _, project := range projects {
		base := gcptables.Client{
			ProjectID: project,
			Assets:    &projectLister{live: l, parent: "projects/" + project},
		}
		if ancestors := inheritedPolicies(ancestorsOf[project], policies); len(ancestors) > 0 {
			base.Ancestors = func(context.Context) ([]*gcpasset.Asset, error) { return ancestors, nil }
		}
		scopes = append(scopes, scopeFor(project, base, l.opts.AssetTypes))
	}
	return scopes, nil
}

// scopeFor builds the engine's scope of one project. With asset types,
// the regions of the scope are those types, which only gcp_asset reads.
func scopeFor(project string, base gcptables.Client, assetTypes []string) sync.Scope {
	regions := []string{"global"}
	if len(assetTypes) > 0 {
		regions = assetTypes
	}
	return sync.Scope{
		AccountID: project,
		Regions:   regions,
		Client: func(region string) (any, error) {
			c := base
			if region != "global" {
				c.AssetType = region
			}
			return &c, nil
		},
	}
}

func (l *Live) parents() []string {
	var out []string
	for _, id := range l.opts.Organizations {
		out = append(out, "organizations/"+id)
	}
	for _, id := range l.opts.Folders {
		out = append(out, "folders/"+id)
	}
	return out
}

// discover lists the active projects below parent and records each
// project's ancestors.
func (l *Live) discover(ctx context.Context, parent string, ancestorsOf map[string][]string) ([]string, error) {
	lister := &projectLister{live: l, parent: parent}
	var projects []string
	req := gcptables.ListRequest{AssetTypes: []string{gcpasset.TypeProject}, ContentType: gcpasset.ContentResource}
	err := lister.ListAssets(ctx, req, func(a *gcpasset.Asset) error {
		id, number := gcpasset.ProjectRef(a)
		if id == "" {
			id = number
		}
		if id == "" {
			return nil
		}
		var state struct {
			LifecycleState string `json:"lifecycleState"`
			State          string `json:"state"`
		}
		if a.Resource != nil {
			_ = jsonUnmarshal(a.Resource.Data, &state)
		}
		if s := state.LifecycleState + state.State; s != "" && s != "ACTIVE" {
			l.log.Info("project skipped: not active", "project_id", id, "state", s)
			return nil
		}
		projects = append(projects, id)
		if len(a.Ancestors) > 1 {
			ancestorsOf[id] = a.Ancestors[1:]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list the projects of %s (the credentials need cloudasset.assets.listResource on it): %w", parent, err)
	}
	return projects, nil
}

// readAncestorPolicies reads the IAM and organization policies set on the
// folders and organization below parent.
func (l *Live) readAncestorPolicies(ctx context.Context, parent string, into map[string]*gcpasset.Asset) error {
	lister := &projectLister{live: l, parent: parent}
	types := []string{gcpasset.TypeOrganization, gcpasset.TypeFolder}
	for _, content := range []string{gcpasset.ContentIAMPolicy, gcpasset.ContentOrgPolicy} {
		err := lister.ListAssets(ctx, gcptables.ListRequest{AssetTypes: types, ContentType: content}, func(a *gcpasset.Asset) error {
			merged := into[a.Name]
			if merged == nil {
				merged = &gcpasset.Asset{Name: a.Name, AssetType: a.AssetType, Ancestors: a.Ancestors}
				into[a.Name] = merged
			}
			if a.IAMPolicy != nil {
				merged.IAMPolicy = a.IAMPolicy
			}
			merged.OrgPolicies = append(merged.OrgPolicies, a.OrgPolicies...)
			return nil
		})
		if err != nil {
			return fmt.Errorf("list the %s of the folders and organization of %s: %w", strings.ToLower(content), parent, err)
		}
	}
	return nil
}

// inheritedPolicies returns the policy assets of a project's ancestors,
// nearest first.
func inheritedPolicies(ancestors []string, policies map[string]*gcpasset.Asset) []*gcpasset.Asset {
	var out []*gcpasset.Asset
	for _, anc := range ancestors {
		if a, ok := policies["//cloudresourcemanager.googleapis.com/"+anc]; ok {
			out = append(out, a)
		}
	}
	return out
}

// projectLister lists the assets below one parent through the API.
type projectLister struct {
	live   *Live
	parent string
}

// ListAssets pages through ListAssets. Each page request is retried with
// exponential backoff on RESOURCE_EXHAUSTED and UNAVAILABLE, up to
// MaxAttempts attempts.
func (p *projectLister) ListAssets(ctx context.Context, req gcptables.ListRequest, fn func(*gcpasset.Asset) error) error {
	o := p.live.opts
	it := p.live.client.ListAssets(ctx, &assetpb.ListAssetsRequest{
		Parent:      p.parent,
		AssetTypes:  req.AssetTypes,
		ContentType: contentType(req.ContentType),
		PageSize:    o.PageSize,
	}, gax.WithRetry(func() gax.Retryer {
		return &boundedRetryer{
			retryer: gax.OnCodes([]codes.Code{codes.ResourceExhausted, codes.Unavailable},
				gax.Backoff{Initial: o.Backoff, Max: 30 * time.Second, Multiplier: 2}),
			maxAttempts: o.MaxAttempts,
			log:         p.live.log,
			parent:      p.parent,
		}
	}))
	for {
		pb, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ListAssets %s: %w", p.parent, err)
		}
		a, err := fromProto(pb)
		if err != nil {
			return fmt.Errorf("ListAssets %s: %w", p.parent, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
}

// boundedRetryer stops gax's code-based retryer after maxAttempts
// attempts and logs each retry.
type boundedRetryer struct {
	retryer     gax.Retryer
	attempts    int
	maxAttempts int
	log         *slog.Logger
	parent      string
}

func (r *boundedRetryer) Retry(err error) (time.Duration, bool) {
	r.attempts++
	if r.attempts >= r.maxAttempts {
		return 0, false
	}
	pause, ok := r.retryer.Retry(err)
	if ok {
		r.log.Warn("ListAssets throttled or unavailable, retrying", "parent", r.parent,
			"attempt", r.attempts, "pause", pause, "error", err)
	}
	return pause, ok
}

func contentType(s string) assetpb.ContentType {
	switch s {
	case gcpasset.ContentIAMPolicy:
		return assetpb.ContentType_IAM_POLICY
	case gcpasset.ContentOrgPolicy:
		return assetpb.ContentType_ORG_POLICY
	}
	return assetpb.ContentType_RESOURCE
}

// fromProto converts an API asset through its JSON form, the same decoder
// that reads import files.
func fromProto(pb *assetpb.Asset) (*gcpasset.Asset, error) {
	b, err := protojson.Marshal(pb)
	if err != nil {
		return nil, fmt.Errorf("encode asset %s: %w", pb.GetName(), err)
	}
	return gcpasset.Unmarshal(b)
}

// isLoopback reports whether host:port names this machine.
func isLoopback(endpoint string) bool {
	host, _, err := net.SplitHostPort(endpoint)
	if err != nil {
		host = endpoint
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
