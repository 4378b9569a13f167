// Package gcpasset is a stand-in for the Cloud Asset Inventory API. It is a
// gRPC server on 127.0.0.1 that serves ListAssets from a world of assets in
// the export format, with small pages and injected faults, so that tests
// run the real cloud.google.com/go/asset client end to end. It implements
// ListAssets only, and matches asset types exactly (the API also accepts
// regular expressions).
package gcpasset

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	gosync "sync"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/stance-cspm/stance/internal/gcpasset"
)

// Faults are the errors injected for requests whose parent is one project,
// folder or organization.
type Faults struct {
	// Deny fails every request with PERMISSION_DENIED.
	Deny bool
	// NotFound fails every request with NOT_FOUND, as the API does for a
	// deleted project.
	NotFound bool
	// Exhaust fails this many requests for page ExhaustPage (0 is the
	// first page) with RESOURCE_EXHAUSTED before serving it.
	Exhaust     int
	ExhaustPage int
	// Unavailable is like Exhaust with UNAVAILABLE, for the first page.
	Unavailable int
}

// Config sets up a server.
type Config struct {
	// Assets is the world.
	Assets []*gcpasset.Asset
	// PageSize caps every page (default 1000, the API's maximum), so tests
	// can force many pages.
	PageSize int
	// Faults by parent: "projects/ID", "folders/ID" or "organizations/ID".
	Faults map[string]*Faults
	Logger *slog.Logger
}

// Server is a running emulator.
type Server struct {
	assetpb.UnimplementedAssetServiceServer

	mu    gosync.Mutex
	cfg   Config
	world []*entry
	// exhausted and unavailable count the faults injected so far, by
	// parent and page.
	exhausted   map[string]int
	unavailable map[string]int
	calls       int

	grpc     *grpc.Server
	listener net.Listener
	log      *slog.Logger
}

// entry is one world asset with what the server matches it on.
type entry struct {
	asset     *gcpasset.Asset
	projects  []string // id and number
	ancestors []string
}

// Start serves the world on 127.0.0.1 on a free port.
func Start(cfg Config) (*Server, error) {
	if cfg.PageSize <= 0 || cfg.PageSize > 1000 {
		cfg.PageSize = 1000
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, exhausted: map[string]int{}, unavailable: map[string]int{}, log: cfg.Logger}
	s.SetAssets(cfg.Assets)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	s.listener = lis
	s.grpc = grpc.NewServer()
	assetpb.RegisterAssetServiceServer(s.grpc, s)
	go func() {
		if err := s.grpc.Serve(lis); err != nil {
			s.log.Error("Cloud Asset Inventory emulator stopped", "error", err)
		}
	}()
	s.log.Info("Cloud Asset Inventory emulator listening", "address", lis.Addr().String(), "assets", len(cfg.Assets))
	return s, nil
}

// LoadWorld reads a world file in any format that gcpasset.Decode reads.
func LoadWorld(path string) ([]*gcpasset.Asset, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read world file: %w", err)
	}
	var assets []*gcpasset.Asset
	if _, err := gcpasset.Decode(bytes.NewReader(data), func(a *gcpasset.Asset) error {
		assets = append(assets, a)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("world file %s: %w", path, err)
	}
	return assets, nil
}

// Addr returns host:port of the server.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Stop stops the server at once.
func (s *Server) Stop() { s.grpc.Stop() }

// Calls returns the number of ListAssets requests served, faults included.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// SetAssets replaces the world, as between two syncs.
func (s *Server) SetAssets(assets []*gcpasset.Asset) {
	idOf := map[string]string{}
	for _, a := range assets {
		if id, number := gcpasset.ProjectRef(a); id != "" && number != "" {
			idOf[number] = id
		}
	}
	world := make([]*entry, 0, len(assets))
	for _, a := range assets {
		e := &entry{asset: a, ancestors: a.Ancestors}
		id, number := gcpasset.ProjectRef(a)
		if id == "" {
			id = idOf[number]
		}
		for _, p := range []string{id, number} {
			if p != "" {
				e.projects = append(e.projects, p)
			}
		}
		world = append(world, e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world = world
}

// SetFaults replaces the faults of one parent.
func (s *Server) SetFaults(parent string, f *Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg.Faults == nil {
		s.cfg.Faults = map[string]*Faults{}
	}
	s.cfg.Faults[parent] = f
}

// ListAssets serves one page of the assets below the request's parent.
// The page token is the offset of the page's first asset.
func (s *Server) ListAssets(_ context.Context, req *assetpb.ListAssetsRequest) (*assetpb.ListAssetsResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	offset := 0
	if req.PageToken != "" {
		n, err := strconv.Atoi(req.PageToken)
		if err != nil || n < 0 {
			return nil, status.Errorf(codes.InvalidArgument, "invalid page token %q", req.PageToken)
		}
		offset = n
	}
	if err := s.fault(req.Parent, offset); err != nil {
		return nil, err
	}
	kind, id, ok := strings.Cut(req.Parent, "/")
	if !ok || id == "" || !slices.Contains([]string{"projects", "folders", "organizations"}, kind) {
		return nil, status.Errorf(codes.InvalidArgument, "invalid parent %q: want projects/ID, folders/ID or organizations/ID", req.Parent)
	}

	var matched []*assetpb.Asset
	for _, e := range s.world {
		if !e.below(kind, id) || !typeMatches(req.AssetTypes, e.asset.AssetType) {
			continue
		}
		pb, err := toProto(e.asset, req.ContentType)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "encode %s: %v", e.asset.Name, err)
		}
		if pb != nil {
			matched = append(matched, pb)
		}
	}
	size := s.cfg.PageSize
	if req.PageSize > 0 && int(req.PageSize) < size {
		size = int(req.PageSize)
	}
	if offset > len(matched) {
		return nil, status.Errorf(codes.InvalidArgument, "page token %q is past the end", req.PageToken)
	}
	end := min(offset+size, len(matched))
	resp := &assetpb.ListAssetsResponse{Assets: matched[offset:end]}
	if end < len(matched) {
		resp.NextPageToken = strconv.Itoa(end)
	}
	return resp, nil
}

// fault returns the injected error for a request, if any.
func (s *Server) fault(parent string, offset int) error {
	f := s.cfg.Faults[parent]
	if f == nil {
		return nil
	}
	switch {
	case f.Deny:
		return status.Errorf(codes.PermissionDenied, "The caller does not have permission on %s", parent)
	case f.NotFound:
		return status.Errorf(codes.NotFound, "%s not found", parent)
	}
	page := offset / s.cfg.PageSize
	key := parent + "#" + strconv.Itoa(page)
	if page == f.ExhaustPage && s.exhausted[key] < f.Exhaust {
		s.exhausted[key]++
		return status.Errorf(codes.ResourceExhausted, "Quota exceeded for quota metric 'List Assets requests' of %s", parent)
	}
	if page == 0 && s.unavailable[key] < f.Unavailable {
		s.unavailable[key]++
		return status.Error(codes.Unavailable, "The service is currently unavailable")
	}
	return nil
}

// below reports whether the asset is in the project, folder or
// organization.
func (e *entry) below(kind, id string) bool {
	if kind == "projects" {
		return slices.Contains(e.projects, id)
	}
	want := kind + "/" + id
	return slices.Contains(e.ancestors, want) || e.asset.Name == "//cloudresourcemanager.googleapis.com/"+want
}

func typeMatches(types []string, assetType string) bool {
	return len(types) == 0 || slices.Contains(types, assetType)
}

// toProto returns the asset with only the content requested, or nil when
// it has none of it.
func toProto(a *gcpasset.Asset, content assetpb.ContentType) (*assetpb.Asset, error) {
	only := &gcpasset.Asset{Name: a.Name, AssetType: a.AssetType, UpdateTime: a.UpdateTime, Ancestors: a.Ancestors}
	switch content {
	case assetpb.ContentType_IAM_POLICY:
		if a.IAMPolicy == nil {
			return nil, nil
		}
		only.IAMPolicy = a.IAMPolicy
	case assetpb.ContentType_ORG_POLICY:
		if len(a.OrgPolicies) == 0 {
			return nil, nil
		}
		only.OrgPolicies = a.OrgPolicies
	case assetpb.ContentType_CONTENT_TYPE_UNSPECIFIED, assetpb.ContentType_RESOURCE:
		if a.Resource == nil {
			return nil, nil
		}
		only.Resource = a.Resource
	default:
		return nil, status.Errorf(codes.Unimplemented, "content type %s is not emulated", content)
	}
	b, err := gcpasset.Marshal(only)
	if err != nil {
		return nil, err
	}
	pb := &assetpb.Asset{}
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(b, pb); err != nil {
		return nil, err
	}
	return pb, nil
}
