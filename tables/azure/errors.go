package azure

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// shortError replaces the SDK's multi-line rendering of an ARM error
// response, which quotes the whole response, with one line: the request,
// the status, the ARM error code and its message. Unwrap still returns the
// original error, so errors.As finds the *azcore.ResponseError.
type shortError struct {
	msg string
	err error
}

func (e *shortError) Error() string { return e.msg }
func (e *shortError) Unwrap() error { return e.err }

// ShortenError returns err with any ARM error response in it shortened to
// one line; other errors are returned as they are.
func ShortenError(err error) error {
	var respErr *azcore.ResponseError
	if err == nil || !errors.As(err, &respErr) {
		return err
	}
	short := fmt.Sprintf("%d %s", respErr.StatusCode, respErr.ErrorCode)
	if resp := respErr.RawResponse; resp != nil {
		if resp.Request != nil {
			short = fmt.Sprintf("%s %s: %s", resp.Request.Method, resp.Request.URL.Path, short)
		}
		if body, err := runtime.Payload(resp); err == nil {
			var doc struct {
				Error struct {
					Message string `json:"message"`
				} `json:"error"`
			}
			if json.Unmarshal(body, &doc) == nil && doc.Error.Message != "" {
				short += ": " + doc.Error.Message
			}
		}
	}
	return &shortError{msg: strings.Replace(err.Error(), respErr.Error(), short, 1), err: err}
}

// resourceGone reports whether err is a 404 from a detail call on a
// resource that Resource Graph listed. Resource Graph lags behind ARM by
// seconds to minutes, so such a resource was most likely deleted in the
// meantime: the fetch skips it instead of failing the whole partition.
func resourceGone(err error) bool {
	var respErr *azcore.ResponseError
	return errors.As(err, &respErr) && respErr.StatusCode == http.StatusNotFound
}

// skipGone logs a resource that resourceGone skipped.
func skipGone(kind, id string, err error) {
	slog.Info("resource not found by a detail call, skipped as deleted", "kind", kind, "id", id, "error", ShortenError(err))
}
