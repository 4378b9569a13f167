package awsstub

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/stance-cspm/stance/internal/emulator"
)

// DefaultPageSize is the page size of Options.PageSize zero.
const DefaultPageSize = 100

// Options configures New. The zero value is ready to use.
type Options struct {
	// Accounts maps access key ids to accounts. Nil means a new map whose
	// unknown keys belong to emulator.DefaultAccountID.
	Accounts *emulator.AccountMap
	// PageSize is the largest page the stub returns, whatever maxResults
	// the client sends. Zero means DefaultPageSize.
	PageSize int
	// Logger receives a line per rejected request. Nil discards them.
	Logger *slog.Logger
}

// Server is an http.Handler that serves the stub's APIs. It is safe for
// concurrent use.
type Server struct {
	accounts *emulator.AccountMap
	pageSize int
	logger   *slog.Logger

	mu      sync.RWMutex
	regions map[regionKey]RegionData
}

type regionKey struct{ account, region string }

// New returns an empty stub.
func New(opts Options) *Server {
	if opts.Accounts == nil {
		opts.Accounts = emulator.NewAccountMap(emulator.DefaultAccountID)
	}
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Server{
		accounts: opts.Accounts,
		pageSize: opts.PageSize,
		logger:   opts.Logger,
		regions:  make(map[regionKey]RegionData),
	}
}

// Set replaces the data of d.Account in d.Region.
func (s *Server) Set(d RegionData) error {
	if err := d.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.regions[regionKey{d.Account, d.Region}] = d
	return nil
}

// MustSet is Set for data written in code: it panics on invalid data.
func (s *Server) MustSet(d RegionData) {
	if err := s.Set(d); err != nil {
		panic("awsstub: " + err.Error())
	}
}

// SetAccount records that accessKeyID belongs to accountID.
func (s *Server) SetAccount(accessKeyID, accountID string) {
	s.accounts.Set(accessKeyID, accountID)
}

// Load adds the access keys and region data of f.
func (s *Server) Load(f File) error {
	for key, account := range f.AccessKeys {
		s.accounts.Set(key, account)
	}
	for _, d := range f.Regions {
		if err := s.Set(d); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) data(account, region string) RegionData {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.regions[regionKey{account, region}]
}

// ServeHTTP routes a request by method and path to its operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scope, err := emulator.ParseAuthorization(r)
	if err != nil {
		status, code := http.StatusForbidden, "IncompleteSignatureException"
		if errors.Is(err, emulator.ErrUnsigned) {
			code = "MissingAuthenticationTokenException"
		}
		s.reject(w, r, status, code, err.Error())
		return
	}
	account := s.accounts.Lookup(scope.AccessKeyID)

	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/analyzer":
		s.listAnalyzers(w, r, s.data(account, scope.Region))
	case r.Method == http.MethodGet && r.URL.Path == "/accounts":
		s.describeHub(w, r, account, scope.Region)
	case r.Method == http.MethodPost && r.URL.Path == "/standards/get":
		s.getEnabledStandards(w, r, account, scope.Region)
	default:
		s.reject(w, r, http.StatusNotFound, "UnknownOperationException",
			"awsstub serves only Access Analyzer ListAnalyzers and Security Hub DescribeHub and GetEnabledStandards, not "+r.Method+" "+r.URL.Path)
	}
}

// reject logs and writes a restJson1 error.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	s.logger.Info("awsstub: reject request", "method", r.Method, "path", r.URL.Path, "status", status, "code", code, "message", message)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message, "Code": code})
}

// writeJSON writes v with status 200.
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Every value passed here is a response struct of this package,
		// which always marshals.
		panic("awsstub: marshal response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}
