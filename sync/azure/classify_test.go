package azure

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/stance-cspm/stance/internal/store"
)

func TestClassify(t *testing.T) {
	respErr := func(status int, code string) error {
		return fmt.Errorf("list things: %w", &azcore.ResponseError{StatusCode: status, ErrorCode: code})
	}
	tests := []struct {
		name       string
		err        error
		wantStatus string
		wantCode   string
	}{
		{"authorization failed", respErr(http.StatusForbidden, "AuthorizationFailed"), store.StatusBlindSpot, "AuthorizationFailed"},
		{"403 without code", respErr(http.StatusForbidden, ""), store.StatusBlindSpot, "HTTP403"},
		{"provider not registered", respErr(http.StatusConflict, "MissingSubscriptionRegistration"), store.StatusBlindSpot, "MissingSubscriptionRegistration"},
		{"unknown subscription", respErr(http.StatusNotFound, "SubscriptionNotFound"), store.StatusBlindSpot, "SubscriptionNotFound"},
		{"throttled", respErr(http.StatusTooManyRequests, "TooManyRequests"), store.StatusFailed, "Throttled"},
		{"server error", respErr(http.StatusInternalServerError, "InternalServerError"), store.StatusFailed, "InternalServerError"},
		{"plain error", errors.New("boom"), store.StatusFailed, "Error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, code := Classify(tc.err)
			if status != tc.wantStatus {
				t.Errorf("status = %s, want %s", status, tc.wantStatus)
			}
			if code != tc.wantCode {
				t.Errorf("code = %s, want %s", code, tc.wantCode)
			}
		})
	}
}

func TestNewLiveRejectsPlainHTTPEndpoint(t *testing.T) {
	_, err := NewLive(Options{Endpoint: "http://127.0.0.1:8080", Credential: StaticToken("x")})
	if err == nil {
		t.Fatal("got no error for an http:// endpoint, want one")
	}
}

func TestCloudConfig(t *testing.T) {
	for name, want := range map[string]string{
		"":                "https://management.azure.com",
		"AzureChina":      "https://management.chinacloudapi.cn",
		"AzureGovernment": "https://management.usgovcloudapi.net",
	} {
		cfg, err := cloudConfig(name)
		if err != nil {
			t.Errorf("cloudConfig(%q): %v", name, err)
			continue
		}
		if got := cfg.Services["resourceManager"].Endpoint; got != want {
			t.Errorf("cloudConfig(%q) ARM endpoint = %q, want %q", name, got, want)
		}
	}
	if _, err := cloudConfig("AzureMars"); err == nil {
		t.Error("cloudConfig(AzureMars): got no error, want one")
	}
}
