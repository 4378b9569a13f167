package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stance-cspm/stance/internal/emulator"
)

// maxFormBody bounds how much of an awsQuery or EC2 request body the proxy
// reads to find the Action field. Such bodies are a few kilobytes.
const maxFormBody = 16 << 20

// Options configures New. The zero value is ready to use.
type Options struct {
	// Accounts maps access key ids to accounts. Nil means a new map whose
	// unknown keys belong to emulator.DefaultAccountID.
	Accounts *emulator.AccountMap
	// Logger receives a debug line per injected fault and a warning per
	// backend error. Nil discards them.
	Logger *slog.Logger
}

// Proxy is an http.Handler that forwards requests to a target endpoint and
// injects the faults of its rules. It is safe for concurrent use.
type Proxy struct {
	target   *url.URL
	reverse  *httputil.ReverseProxy
	accounts *emulator.AccountMap
	logger   *slog.Logger
	sequence atomic.Int64

	mu    sync.Mutex
	rules []*ActiveRule
	calls []Call
}

// New returns a proxy to target, an http or https base URL.
func New(target string, opts Options) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("parse target %q: %w", target, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("invalid target %q: want an http or https URL with a host", target)
	}
	if opts.Accounts == nil {
		opts.Accounts = emulator.NewAccountMap(emulator.DefaultAccountID)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}

	p := &Proxy{target: u, accounts: opts.Accounts, logger: opts.Logger}
	p.reverse = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
			// Keep the signed Host header, so a backend that checks
			// signatures gets the request as the client signed it.
			pr.Out.Host = pr.In.Host
		},
		ModifyResponse: p.learnAssumedRole,
		ErrorHandler:   p.backendError,
	}
	return p, nil
}

// AddRule validates r and adds it after the existing rules.
//
// For each call, every matching rule counts a hit and adds its latency, and
// the first matching rule with a fault and injections left decides the
// error. A call that no such rule selects goes to the target.
func (p *Proxy) AddRule(r Rule) (*ActiveRule, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	active := &ActiveRule{rule: r}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, active)
	return active, nil
}

// MustAddRule is AddRule for rules written in code: it panics on an invalid
// rule.
func (p *Proxy) MustAddRule(r Rule) *ActiveRule {
	active, err := p.AddRule(r)
	if err != nil {
		panic(fmt.Sprintf("faultproxy: %v", err))
	}
	return active
}

// ClearRules removes every rule.
func (p *Proxy) ClearRules() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

// SetAccount records that accessKeyID belongs to accountID.
func (p *Proxy) SetAccount(accessKeyID, accountID string) {
	p.accounts.Set(accessKeyID, accountID)
}

// Calls returns a copy of the calls recorded so far, oldest first.
func (p *Proxy) Calls() []Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Call(nil), p.calls...)
}

// Count returns how many recorded calls m selects, retries included.
func (p *Proxy) Count(m Match) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, c := range p.calls {
		if m.matches(c) {
			n++
		}
	}
	return n
}

// ResetCalls deletes the recorded calls. Rules keep their counters.
func (p *Proxy) ResetCalls() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = nil
}

// callKey is the context key under which ServeHTTP passes a call's record
// to the response hook.
type callKey struct{}

// ServeHTTP records the request, applies the matching rules, and forwards
// it or writes the injected error.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call, err := p.describe(r)
	if err != nil {
		p.logger.Warn("faultproxy: read request", "method", r.Method, "path", r.URL.Path, "error", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	latency, rule := p.applyRules(call)
	if latency > 0 {
		timer := time.NewTimer(latency)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}

	if rule != nil {
		e := defaultError(rule.Fault, call.Protocol)
		if rule.Status != 0 {
			e.Status = rule.Status
		}
		if rule.Code != "" {
			e.Code = rule.Code
		}
		if rule.Message != "" {
			e.Message = rule.Message
		}
		call.Fault = rule.Fault
		call.Status = e.Status
		p.record(call)
		p.logger.Debug("faultproxy: inject fault", "fault", rule.Fault, "code", e.Code, "status", e.Status,
			"account", call.Account, "region", call.Region, "service", call.Service, "operation", call.Operation)
		writeError(w, call.Protocol, e, "faultproxy-"+strconv.FormatInt(p.sequence.Add(1), 10))
		return
	}

	recorder := &statusRecorder{ResponseWriter: w}
	ctx := context.WithValue(r.Context(), callKey{}, &call)
	p.reverse.ServeHTTP(recorder, r.WithContext(ctx))
	call.Status = recorder.status
	p.record(call)
}

// describe builds the record of r. It reads and restores the body of form
// requests to find their Action.
func (p *Proxy) describe(r *http.Request) (Call, error) {
	call := Call{Time: time.Now(), Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
	scope, err := emulator.ParseAuthorization(r)
	if err != nil {
		// Unsigned or non-SigV4 requests pass through unmatched by any rule
		// that names a service.
		return call, nil
	}
	call.AccessKeyID = scope.AccessKeyID
	call.Account = p.accounts.Lookup(scope.AccessKeyID)
	call.Region = scope.Region
	call.Service = serviceOf(scope.Service, r)
	call.Protocol = protocolOf(call.Service, r)

	var form url.Values
	if call.Protocol.isForm() && r.Body != nil {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
		if err != nil {
			return call, fmt.Errorf("read %s request body: %w", call.Service, err)
		}
		if len(body) > maxFormBody {
			return call, fmt.Errorf("%s request body is over %d bytes", call.Service, maxFormBody)
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ = url.ParseQuery(string(body))
	}
	call.Operation = operationOf(call.Protocol, r, form)
	return call, nil
}

// applyRules counts call against every matching rule and returns the sum of
// their latencies and the rule whose fault the call gets, if any.
func (p *Proxy) applyRules(call Call) (time.Duration, *Rule) {
	if call.Service == "" {
		return 0, nil
	}
	p.mu.Lock()
	rules := append([]*ActiveRule(nil), p.rules...)
	p.mu.Unlock()

	var latency time.Duration
	var chosen *Rule
	for _, active := range rules {
		if !active.rule.matches(call) {
			continue
		}
		latency += time.Duration(active.rule.Latency)
		if active.hit(chosen == nil) {
			r := active.rule
			chosen = &r
		}
	}
	return latency, chosen
}

func (p *Proxy) record(c Call) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, c)
}

func (p *Proxy) backendError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	p.logger.Warn("faultproxy: forward request", "target", p.target.String(), "method", r.Method, "path", r.URL.Path, "error", err)
	http.Error(w, "faultproxy: forward to "+p.target.String()+": "+err.Error(), http.StatusBadGateway)
}

// statusRecorder remembers the status code written through it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
