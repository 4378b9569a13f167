package aws

import (
	"errors"
	"net"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithy "github.com/aws/smithy-go"

	"github.com/stance-cspm/stance/internal/store"
)

// blindSpotCodes are AWS error codes that mean "stance may not or cannot
// read this here": a coverage gap to report, not a failure of stance.
var blindSpotCodes = map[string]bool{
	"AccessDenied":                  true,
	"AccessDeniedException":         true,
	"UnauthorizedOperation":         true,
	"AuthorizationError":            true,
	"AuthorizationErrorException":   true,
	"AuthFailure":                   true,
	"Forbidden":                     true,
	"OptInRequired":                 true, // service or region not enabled for the account
	"InvalidClientTokenId":          true, // opt-in region that is not enabled
	"UnrecognizedClientException":   true, // same, for JSON protocols
	"SubscriptionRequiredException": true,
	"NotCollected":                  true, // an offline source lacks the file
}

// classify maps a fetch error to a partition status and an error code.
func classify(err error) (status, code string) {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode()
		if blindSpotCodes[code] {
			return store.StatusBlindSpot, code
		}
		return store.StatusFailed, code
	}
	var decodeErr *smithy.DeserializationError
	if errors.As(err, &decodeErr) {
		return store.StatusFailed, "MalformedResponse"
	}
	// A service that has no endpoint in a region fails to resolve. That is
	// a gap in coverage, not an error of the sync.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return store.StatusBlindSpot, "ServiceUnavailableInRegion"
	}
	var maxAttempts *retry.MaxAttemptsError
	if errors.As(err, &maxAttempts) {
		return store.StatusFailed, "RetriesExhausted"
	}
	return store.StatusFailed, "Error"
}
