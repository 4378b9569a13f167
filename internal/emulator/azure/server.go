package azure

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"
)

// Options are the faults and limits of an emulator.
type Options struct {
	// PageSize caps the rows of a Resource Graph page and the items of an
	// ARM list page (default 1,000 and 100, Azure's usual limits).
	PageSize int
	// Throttle responds to the first N requests whose path contains
	// ThrottlePath with 429 and a Retry-After of RetryAfter.
	Throttle     int
	ThrottlePath string
	// RetryAfter is the wait that 429 responses request (default 1 s). The
	// header carries whole seconds, rounded up, and retry-after-ms the
	// exact value, which the Azure SDK prefers.
	RetryAfter time.Duration
	// GraphQuota is the number of Resource Graph queries allowed per
	// GraphWindow (default unlimited). Every response carries the quota
	// headers, and queries over the quota get 429.
	GraphQuota  int
	GraphWindow time.Duration
	// Deny lists subscriptions that respond with 403, besides those the world
	// marks as denied.
	Deny []string
	// TruncateGraph makes Resource Graph responses end after the first page
	// with resultTruncated true and no skip token.
	TruncateGraph bool
	// Addr is the loopback address to listen on (default 127.0.0.1:0, a
	// free port).
	Addr string
}

// Server is a running emulator.
type Server struct {
	opts     Options
	listener net.Listener
	http     *http.Server
	certPEM  []byte
	pool     *x509.CertPool

	mu    gosync.RWMutex
	world *World
	index *index

	throttled atomic.Int64
	requests  atomic.Int64

	quotaMu    gosync.Mutex
	quotaStart time.Time
	quotaUsed  int
}

// index is the world arranged for lookups.
type index struct {
	byID   map[string]json.RawMessage // lower-cased id
	bySub  map[string][]indexed       // lower-cased subscription id, sorted by id
	denied map[string]bool
	subs   map[string]Subscription
	resp   map[string]json.RawMessage // lower-cased path
	errs   map[string]ErrorResponse   // lower-cased path
}

type indexed struct {
	id, typ string
	raw     json.RawMessage
}

// Start serves w over HTTPS on Options.Addr, a free port of 127.0.0.1 by
// default, with a new self-signed certificate.
func Start(w *World, opts Options) (*Server, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = time.Second
	}
	if opts.GraphWindow <= 0 {
		opts.GraphWindow = 5 * time.Second
	}
	certPEM, cert, err := selfSignedCert()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)

	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		return nil, fmt.Errorf("invalid emulator address %q: want a loopback address and port such as 127.0.0.1:8443", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{opts: opts, listener: ln, certPEM: certPEM, pool: pool}
	s.setWorld(w)
	s.http = &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}
	go func() { _ = s.http.ServeTLS(ln, "", "") }()
	return s, nil
}

// URL returns the base URL of the emulator, the ARM endpoint to configure.
func (s *Server) URL() string { return "https://" + s.listener.Addr().String() }

// CertPool returns a pool that trusts the emulator's certificate.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// CertPEM returns the emulator's certificate in PEM form.
func (s *Server) CertPEM() []byte { return s.certPEM }

// WriteCertPEM writes the certificate to path with mode 0644, for
// SSL_CERT_FILE.
func (s *Server) WriteCertPEM(path string) error {
	return os.WriteFile(path, s.certPEM, 0o644)
}

// Close stops the emulator.
func (s *Server) Close() error { return s.http.Close() }

// Requests returns the number of requests served so far.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Throttled returns the number of 429 responses sent so far.
func (s *Server) Throttled() int64 { return s.throttled.Load() }

// Update changes the world under the emulator's lock, so a test can delete
// or change resources between two syncs.
func (s *Server) Update(change func(*World)) error {
	s.mu.Lock()
	w := s.world
	s.mu.Unlock()
	change(w)
	if err := w.Validate(); err != nil {
		return err
	}
	s.setWorld(w)
	return nil
}

func (s *Server) setWorld(w *World) {
	idx := &index{
		byID:   map[string]json.RawMessage{},
		bySub:  map[string][]indexed{},
		denied: map[string]bool{},
		subs:   map[string]Subscription{},
		resp:   map[string]json.RawMessage{},
		errs:   map[string]ErrorResponse{},
	}
	for _, sub := range w.Subscriptions {
		id := strings.ToLower(sub.SubscriptionID)
		idx.subs[id] = sub
		if sub.Denied {
			idx.denied[id] = true
		}
	}
	for _, d := range s.opts.Deny {
		idx.denied[strings.ToLower(d)] = true
	}
	for _, raw := range w.Resources {
		var r resource
		_ = json.Unmarshal(raw, &r) // Validate has parsed it already.
		id := strings.ToLower(r.ID)
		idx.byID[id] = raw
		sub := subscriptionOf(r.ID)
		idx.bySub[sub] = append(idx.bySub[sub], indexed{id: id, typ: strings.ToLower(r.Type), raw: raw})
	}
	for _, list := range idx.bySub {
		sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	}
	for p, body := range w.Responses {
		idx.resp[normalizePath(p)] = body
	}
	for p, e := range w.Errors {
		idx.errs[normalizePath(p)] = e
	}
	s.mu.Lock()
	s.world, s.index = w, idx
	s.mu.Unlock()
}

func normalizePath(p string) string {
	return strings.ToLower("/" + strings.Trim(p, "/"))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || len(r.Header.Get("Authorization")) <= len("Bearer ") {
		writeError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The Authorization header is missing or is not a bearer token.")
		return
	}
	if s.throttle(r) {
		s.writeTooMany(w, "TooManyRequests", "The request was throttled by the emulator.")
		return
	}
	s.mu.RLock()
	idx := s.index
	tenant := s.world.TenantID
	groups := s.world.ManagementGroups
	s.mu.RUnlock()

	path := normalizePath(r.URL.Path)
	switch {
	case r.Method == http.MethodPost && path == "/providers/microsoft.resourcegraph/resources":
		s.serveGraph(w, r, idx, tenant)
		return
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the emulator serves reads only: "+r.Method+" "+r.URL.Path)
		return
	}

	if sub := subscriptionOf(path); sub != "" && idx.denied[sub] {
		writeError(w, http.StatusForbidden, "AuthorizationFailed",
			fmt.Sprintf("The client does not have authorization to perform action over scope '/subscriptions/%s' or the scope is invalid.", sub))
		return
	}
	if e, ok := idx.errs[path]; ok {
		writeError(w, e.Status, e.Code, e.Message)
		return
	}
	if body, ok := idx.resp[path]; ok {
		s.writeMaybeList(w, r, body)
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case path == "/subscriptions":
		s.serveSubscriptions(w, r, idx, tenant)
		return
	case len(parts) == 2 && parts[0] == "subscriptions":
		sub, ok := idx.subs[parts[1]]
		if !ok {
			writeError(w, http.StatusNotFound, "SubscriptionNotFound", "The subscription '"+parts[1]+"' could not be found.")
			return
		}
		writeJSON(w, http.StatusOK, subscriptionJSON(sub, tenant))
		return
	case len(parts) == 5 && parts[0] == "providers" && parts[1] == "microsoft.management" && parts[2] == "managementgroups" && parts[4] == "descendants":
		s.serveDescendants(w, r, groups, parts[3])
		return
	}
	if raw, ok := idx.byID[path]; ok {
		writeJSON(w, http.StatusOK, raw)
		return
	}
	if len(parts) == 5 && parts[0] == "subscriptions" && parts[2] == "providers" {
		if list := resourcesOfType(idx, parts[1], parts[3]+"/"+parts[4]); len(list) > 0 {
			s.writeList(w, r, list)
			return
		}
	}
	if body, ok := defaultResponse(parts); ok {
		s.writeMaybeList(w, r, body)
		return
	}
	writeError(w, http.StatusNotFound, "ResourceNotFound", "The resource '"+r.URL.Path+"' was not found in the emulator's world.")
}

// throttle reports whether to respond with 429: true for the first
// Options.Throttle matching requests.
func (s *Server) throttle(r *http.Request) bool {
	if s.opts.Throttle <= 0 || !strings.Contains(strings.ToLower(r.URL.Path), strings.ToLower(s.opts.ThrottlePath)) {
		return false
	}
	if s.throttled.Load() >= int64(s.opts.Throttle) {
		return false
	}
	if s.throttled.Add(1) > int64(s.opts.Throttle) {
		return false
	}
	return true
}

// writeTooMany responds with 429 and the wait in both forms that Azure uses.
func (s *Server) writeTooMany(w http.ResponseWriter, code, message string) {
	wait := s.opts.RetryAfter
	w.Header().Set("Retry-After", fmt.Sprint(int((wait+time.Second-1)/time.Second)))
	w.Header().Set("retry-after-ms", fmt.Sprint(wait.Milliseconds()))
	writeError(w, http.StatusTooManyRequests, code, message)
}

func resourcesOfType(idx *index, sub, typ string) []json.RawMessage {
	var out []json.RawMessage
	for _, r := range idx.bySub[sub] {
		if r.typ == typ {
			out = append(out, r.raw)
		}
	}
	return out
}

func subscriptionJSON(s Subscription, tenant string) map[string]any {
	state := s.State
	if state == "" {
		state = "Enabled"
	}
	return map[string]any{
		"id":                  "/subscriptions/" + s.SubscriptionID,
		"subscriptionId":      s.SubscriptionID,
		"displayName":         s.DisplayName,
		"state":               state,
		"tenantId":            tenant,
		"authorizationSource": "RoleBased",
		"tags":                s.Tags,
		"subscriptionPolicies": map[string]any{
			"quotaId":       "PayAsYouGo_2014-09-01",
			"spendingLimit": "Off",
		},
	}
}

func (s *Server) serveSubscriptions(w http.ResponseWriter, r *http.Request, idx *index, tenant string) {
	ids := make([]string, 0, len(idx.subs))
	for id := range idx.subs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	list := make([]json.RawMessage, 0, len(ids))
	for _, id := range ids {
		b, _ := json.Marshal(subscriptionJSON(idx.subs[id], tenant))
		list = append(list, b)
	}
	s.writeList(w, r, list)
}

func (s *Server) serveDescendants(w http.ResponseWriter, r *http.Request, groups []ManagementGroup, name string) {
	byName := map[string]ManagementGroup{}
	for _, g := range groups {
		byName[strings.ToLower(g.Name)] = g
	}
	if _, ok := byName[name]; !ok {
		writeError(w, http.StatusNotFound, "NotFound", "Management group '"+name+"' not found.")
		return
	}
	var list []json.RawMessage
	var walk func(parent string)
	walk = func(parent string) {
		g := byName[parent]
		groupID := "/providers/Microsoft.Management/managementGroups/" + g.Name
		for _, sub := range g.Subscriptions {
			b, _ := json.Marshal(map[string]any{
				"id":   "/subscriptions/" + sub,
				"type": "Microsoft.Management/managementGroups/subscriptions",
				"name": sub,
				"properties": map[string]any{
					"displayName": sub,
					"parent":      map[string]string{"id": groupID},
				},
			})
			list = append(list, b)
		}
		var children []string
		for _, c := range groups {
			if strings.EqualFold(c.Parent, g.Name) {
				children = append(children, strings.ToLower(c.Name))
			}
		}
		sort.Strings(children)
		for _, c := range children {
			child := byName[c]
			b, _ := json.Marshal(map[string]any{
				"id":   "/providers/Microsoft.Management/managementGroups/" + child.Name,
				"type": "Microsoft.Management/managementGroups",
				"name": child.Name,
				"properties": map[string]any{
					"displayName": child.DisplayName,
					"parent":      map[string]string{"id": groupID},
				},
			})
			list = append(list, b)
			walk(c)
		}
	}
	walk(name)
	s.writeList(w, r, list)
}

// writeMaybeList pages a body that has a "value" array and writes any
// other body as it is.
func (s *Server) writeMaybeList(w http.ResponseWriter, r *http.Request, body json.RawMessage) {
	var list struct {
		Value []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err == nil && list.Value != nil {
		s.writeList(w, r, list.Value)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// writeList writes one page of an ARM list, with a nextLink to the next
// page when more items remain.
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, items []json.RawMessage) {
	size := s.opts.PageSize
	if size <= 0 {
		size = 100
	}
	start := 0
	if tok := r.URL.Query().Get("$skiptoken"); tok != "" {
		if _, err := fmt.Sscanf(tok, "%d", &start); err != nil || start < 0 || start > len(items) {
			writeError(w, http.StatusBadRequest, "InvalidSkipToken", "invalid $skiptoken "+tok)
			return
		}
	}
	end := min(start+size, len(items))
	page := map[string]any{"value": items[start:end]}
	if end < len(items) {
		q := r.URL.Query()
		q.Set("$skiptoken", fmt.Sprint(end))
		page["nextLink"] = s.URL() + r.URL.Path + "?" + q.Encode()
	}
	writeJSON(w, http.StatusOK, page)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b []byte
	switch x := v.(type) {
	case json.RawMessage:
		b = x
	default:
		b, _ = json.Marshal(v)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func selfSignedCert() ([]byte, tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("generate emulator key: %w", err)
	}

	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "stance Azure emulator"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}

	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, tls.Certificate{}, fmt.Errorf("create emulator certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})

	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	return certPEM, cert, nil
}
