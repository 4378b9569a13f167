package faultproxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sync"
	"time"
)

// Fault is the kind of error a rule injects.
type Fault string

// Fault kinds. The status and code of each depend on the protocol of the
// call, unless the rule sets Status and Code.
const (
	// FaultNone injects no error: the rule only adds latency or counts.
	FaultNone Fault = ""
	// FaultThrottle returns the service's throttling error.
	FaultThrottle Fault = "throttle"
	// FaultServerError returns HTTP 500 with InternalFailure or, in EC2
	// and S3, InternalError.
	FaultServerError Fault = "server-error"
	// FaultAccessDenied returns the service's access-denied error.
	FaultAccessDenied Fault = "access-denied"
	// FaultError returns the rule's Status and Code, which it must set.
	FaultError Fault = "error"
)

// Match selects calls. An empty field, or "*", matches any value. Operation
// is a path.Match pattern, such as "List*" or "GET /analyzer", and for REST
// APIs the value it matches is the method, a space and the URL path.
type Match struct {
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Service   string `json:"service,omitempty"`
	Operation string `json:"operation,omitempty"`
	// Query, when set, is a URL query parameter the call must carry, such
	// as "policy" to select S3 GetBucketPolicy among the GET /bucket calls.
	Query string `json:"query,omitempty"`
}

// Rule injects a fault or latency into the calls it matches.
type Rule struct {
	Match
	// Fault is the error to return in place of the backend's response.
	Fault Fault `json:"fault,omitempty"`
	// Times is how many matching calls get the fault. Zero means all.
	Times int `json:"times,omitempty"`
	// Latency is added to every matching call, before the fault or the
	// forwarding.
	Latency Duration `json:"latency,omitempty"`
	// Status and Code override the fault's defaults, and Message replaces
	// the default message.
	Status  int    `json:"status,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// Duration is a time.Duration that reads and writes JSON as a string such
// as "150ms".
type Duration time.Duration

// MarshalJSON writes d as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a Go duration string such as "150ms" or "2s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("latency must be a duration string such as \"150ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("invalid latency %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// validate checks the fields that AddRule cannot repair.
func (r Rule) validate() error {
	switch r.Fault {
	case FaultNone, FaultThrottle, FaultServerError, FaultAccessDenied:
	case FaultError:
		if r.Status == 0 || r.Code == "" {
			return fmt.Errorf("rule with fault %q needs status and code", r.Fault)
		}
	default:
		return fmt.Errorf("unknown fault %q: want one of throttle, server-error, access-denied, error", r.Fault)
	}
	if r.Status != 0 && (r.Status < 400 || r.Status > 599) {
		return fmt.Errorf("invalid status %d: want 400 to 599", r.Status)
	}
	if r.Times < 0 {
		return fmt.Errorf("invalid times %d: want 0 (every call) or more", r.Times)
	}
	if r.Latency < 0 {
		return fmt.Errorf("invalid latency %s: want 0 or more", time.Duration(r.Latency))
	}
	if r.Operation != "" {
		if _, err := path.Match(r.Operation, ""); err != nil {
			return fmt.Errorf("invalid operation pattern %q: %w", r.Operation, err)
		}
	}
	return nil
}

// matches reports whether m selects call c.
func (m Match) matches(c Call) bool {
	if !matchField(m.Account, c.Account) || !matchField(m.Region, c.Region) || !matchField(m.Service, c.Service) {
		return false
	}
	if m.Query != "" && !c.hasQuery(m.Query) {
		return false
	}
	if m.Operation == "" || m.Operation == "*" {
		return true
	}
	ok, _ := path.Match(m.Operation, c.Operation)
	return ok
}

func matchField(pattern, value string) bool {
	return pattern == "" || pattern == "*" || pattern == value
}

// ActiveRule is a rule added to a proxy, with its counters.
type ActiveRule struct {
	rule Rule

	mu       sync.Mutex
	hits     int
	injected int
}

// Rule returns the rule as it was added.
func (a *ActiveRule) Rule() Rule { return a.rule }

// Hits returns how many calls the rule matched.
func (a *ActiveRule) Hits() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits
}

// Injected returns how many calls got the rule's fault.
func (a *ActiveRule) Injected() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.injected
}

// hit counts a matching call and reports whether it gets the rule's fault.
// canInject is false when an earlier rule already chose the call's fault,
// and then the call uses none of this rule's injections.
func (a *ActiveRule) hit(canInject bool) (inject bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hits++
	if !canInject || a.rule.Fault == FaultNone {
		return false
	}
	if a.rule.Times > 0 && a.injected >= a.rule.Times {
		return false
	}
	a.injected++
	return true
}

// RulesFile is the JSON form of a proxy's set-up, for manual use:
//
//	{
//	  "accounts": {"AKIAEXAMPLE": "222233334444"},
//	  "rules": [
//	    {"service": "iam", "operation": "ListRoles", "fault": "throttle", "times": 2},
//	    {"service": "s3", "operation": "GET /*", "latency": "200ms"},
//	    {"account": "222233334444", "service": "kms", "fault": "access-denied"}
//	  ]
//	}
type RulesFile struct {
	// Accounts maps access key ids to account ids.
	Accounts map[string]string `json:"accounts,omitempty"`
	Rules    []Rule            `json:"rules"`
}

// LoadRulesFile reads and validates a RulesFile.
func LoadRulesFile(name string) (RulesFile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return RulesFile{}, fmt.Errorf("read rules file: %w", err)
	}
	var f RulesFile
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&f); err != nil {
		return RulesFile{}, fmt.Errorf("parse rules file %s: %w", name, err)
	}
	for i, r := range f.Rules {
		if err := r.validate(); err != nil {
			return RulesFile{}, fmt.Errorf("rules file %s: rule %d: %w", name, i+1, err)
		}
	}
	return f, nil
}
