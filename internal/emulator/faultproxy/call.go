package faultproxy

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// Call is the record of one request that reached the proxy.
type Call struct {
	Time        time.Time
	AccessKeyID string
	Account     string
	Region      string
	Service     string // signing name, or ServiceS3Control
	Operation   string // see Match for the form of each protocol
	Protocol    Protocol
	Method      string
	Path        string
	RawQuery    string
	// Fault is the fault the proxy injected, or FaultNone when it forwarded
	// the call.
	Fault Fault
	// Status is the HTTP status the client received.
	Status int
}

func (c Call) hasQuery(name string) bool {
	values, err := url.ParseQuery(c.RawQuery)
	if err != nil {
		return false
	}
	_, ok := values[name]
	return ok
}

// operationOf returns the operation name of a request of protocol p. form
// is the parsed form body of awsQuery and EC2 requests.
func operationOf(p Protocol, r *http.Request, form url.Values) string {
	switch {
	case p == ProtocolJSON10 || p == ProtocolJSON11:
		target := r.Header.Get("X-Amz-Target")
		if i := strings.LastIndexByte(target, '.'); i >= 0 {
			return target[i+1:]
		}
		return target
	case p == ProtocolCBOR:
		// The path is /service/{ServiceName}/operation/{OperationName}.
		if _, op, found := strings.Cut(r.URL.Path, "/operation/"); found {
			return path.Base(op)
		}
		return ""
	case p.isForm():
		if action := form.Get("Action"); action != "" {
			return action
		}
		return r.URL.Query().Get("Action")
	default:
		return r.Method + " " + r.URL.Path
	}
}
