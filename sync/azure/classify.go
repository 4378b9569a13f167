package azure

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/stance-cspm/stance/internal/store"
)

// blindSpotCodes are ARM error codes that mean "stance may not or cannot
// read this here": a coverage gap to report, not a failure of stance.
var blindSpotCodes = map[string]bool{
	"AuthorizationFailed":              true,
	"LinkedAuthorizationFailed":        true,
	"Forbidden":                        true,
	"InvalidAuthenticationTokenTenant": true, // subscription of another tenant
	"SubscriptionNotFound":             true,
	"MissingSubscriptionRegistration":  true, // resource provider not registered
	"SubscriptionNotRegistered":        true,
	"DisallowedOperation":              true,
	"ReadOnlyDisabledSubscription":     true,
}

// Classify maps a fetch error to a partition status and an error code:
// 403 AuthorizationFailed and similar are blind spots, a 429 that
// survived every retry is a failure with code Throttled.
func Classify(err error) (status, code string) {
	var respErr *azcore.ResponseError
	if errors.As(err, &respErr) {
		code = respErr.ErrorCode
		if code == "" {
			code = fmt.Sprintf("HTTP%d", respErr.StatusCode)
		}
		switch {
		case blindSpotCodes[code]:
			return store.StatusBlindSpot, code
		case respErr.StatusCode == http.StatusForbidden:
			return store.StatusBlindSpot, code
		case respErr.StatusCode == http.StatusTooManyRequests:
			return store.StatusFailed, "Throttled"
		}
		return store.StatusFailed, code
	}
	var authErr *azidentity.AuthenticationFailedError
	if errors.As(err, &authErr) {
		return store.StatusFailed, "AuthenticationFailed"
	}
	return store.StatusFailed, "Error"
}
