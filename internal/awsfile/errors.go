package awsfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// ErrNotCollected is wrapped by the error of every SDK call whose response
// file is absent. The sync records such a call as a blind spot, not as an
// empty result. The error is also a smithy.APIError with code
// NotCollectedCode; see NotCollectedError.
var ErrNotCollected = errors.New("response not collected")

// NotCollectedCode is the API error code of a call whose response file is
// absent.
const NotCollectedCode = "NotCollected"

// NotCollectedError is the error of an SDK call whose response file is
// absent. It implements smithy.APIError and unwraps to ErrNotCollected.
type NotCollectedError struct {
	// Service is the AWS CLI service name, such as "s3".
	Service string
	// Operation is the API operation name, such as "GetBucketPolicy".
	Operation string
	// Path is the file that would hold the response.
	Path string
}

// Error returns the message in the form smithy.GenericAPIError uses.
func (e *NotCollectedError) Error() string {
	return "api error " + NotCollectedCode + ": " + e.ErrorMessage()
}

// ErrorCode returns NotCollectedCode.
func (e *NotCollectedError) ErrorCode() string { return NotCollectedCode }

// ErrorMessage names the operation and the missing file.
func (e *NotCollectedError) ErrorMessage() string {
	return fmt.Sprintf("%s %s was not collected: no file %s", e.Service, e.Operation, e.Path)
}

// ErrorFault returns smithy.FaultClient: the data is missing on this side.
func (e *NotCollectedError) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// Unwrap returns ErrNotCollected.
func (e *NotCollectedError) Unwrap() error { return ErrNotCollected }

// errorsFile is the name of the fault-injection file in an account or region
// folder.
const errorsFile = "_errors.json"

// faultRule is one declared error: the API error code and message that a
// call returns.
type faultRule struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// faultRules maps a normalized key ("*", "s3", "s3:GetBucketPolicy" or
// "s3:GetBucketPolicy:my-bucket") to a declared error.
type faultRules map[string]faultRule

// parseFaultRules parses and checks the content of an _errors.json file.
// Keys name services by CLI name and operations by API name
// ("s3:GetBucketPolicy") or CLI name ("s3:get-bucket-policy"); they are
// stored with API names. file is used in error messages.
func parseFaultRules(file string, data []byte) (faultRules, error) {
	var raw map[string]faultRule
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("read %s: %w; want an object such as {\"*\": {\"code\": \"AccessDenied\", \"message\": \"...\"}}", file, syntaxError(data, err))
	}

	rules := make(faultRules, len(raw))
	for key, rule := range raw {
		if rule.Code == "" {
			return nil, fmt.Errorf("read %s: key %q has no \"code\"; set it to an AWS error code such as \"AccessDenied\"", file, key)
		}
		normalized, err := normalizeFaultKey(key)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		rules[normalized] = rule
	}
	return rules, nil
}

// normalizeFaultKey checks a key of _errors.json and rewrites a CLI
// operation name to its API name.
func normalizeFaultKey(key string) (string, error) {
	if key == "*" {
		return key, nil
	}
	parts := strings.SplitN(key, ":", 3)
	svc, ok := serviceByCLIName(parts[0])
	if !ok {
		return "", fmt.Errorf("key %q: unknown service %q; use \"*\" or one of %s", key, parts[0], strings.Join(cliNames(), ", "))
	}
	parts[0] = svc.cliName
	if len(parts) == 1 {
		return parts[0], nil
	}

	op, ok := svc.operationName(parts[1])
	if !ok {
		return "", fmt.Errorf("key %q: %s has no operation %q; use an API name such as GetBucketPolicy", key, svc.cliName, parts[1])
	}
	parts[1] = op
	return strings.Join(parts, ":"), nil
}

// match returns the rule for a call, trying the most specific key first.
// resource is the call's resource values joined by "/", or "".
func (r faultRules) match(cliService, op, resource string) (faultRule, bool) {
	keys := []string{cliService + ":" + op, cliService, "*"}
	if resource != "" {
		keys = append([]string{cliService + ":" + op + ":" + resource}, keys...)
	}
	for _, key := range keys {
		if rule, ok := r[key]; ok {
			return rule, true
		}
	}
	return faultRule{}, false
}

// apiError returns the declared error as the SDK would return a service
// error.
func (rule faultRule) apiError() error {
	return &smithy.GenericAPIError{Code: rule.Code, Message: rule.Message, Fault: smithy.FaultClient}
}
