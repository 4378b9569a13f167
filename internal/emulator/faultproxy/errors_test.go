package faultproxy

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"testing"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// TestWriteErrorFormats checks the body and headers of each protocol's
// error, independent of an SDK client.
func TestWriteErrorFormats(t *testing.T) {
	e := apiError{Status: 400, Code: "Throttling", Message: "Rate exceeded"}
	tests := []struct {
		protocol    Protocol
		contentType string
		code        func(t *testing.T, rec *httptest.ResponseRecorder) string
	}{
		{ProtocolJSON10, "application/x-amz-json-1.0", jsonCode},
		{ProtocolJSON11, "application/x-amz-json-1.1", jsonCode},
		{ProtocolRESTJSON, "application/json", jsonCode},
		{ProtocolQuery, "text/xml", func(t *testing.T, rec *httptest.ResponseRecorder) string {
			var v struct {
				XMLName xml.Name `xml:"ErrorResponse"`
				Type    string   `xml:"Error>Type"`
				Code    string   `xml:"Error>Code"`
			}
			if err := xml.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				t.Fatalf("parse XML body %q: %v", rec.Body.String(), err)
			}
			if v.Type != "Sender" {
				t.Errorf("got error type %q, want Sender", v.Type)
			}
			return v.Code
		}},
		{ProtocolEC2Query, "text/xml", xmlCode(func(b []byte) (string, error) {
			var v struct {
				XMLName xml.Name `xml:"Response"`
				Code    string   `xml:"Errors>Error>Code"`
			}
			err := xml.Unmarshal(b, &v)
			return v.Code, err
		})},
		{ProtocolRESTXML, "application/xml", xmlCode(func(b []byte) (string, error) {
			var v struct {
				XMLName xml.Name `xml:"Error"`
				Code    string   `xml:"Code"`
			}
			err := xml.Unmarshal(b, &v)
			return v.Code, err
		})},
		{ProtocolS3Control, "application/xml", xmlCode(func(b []byte) (string, error) {
			var v struct {
				XMLName xml.Name `xml:"ErrorResponse"`
				Code    string   `xml:"Error>Code"`
			}
			err := xml.Unmarshal(b, &v)
			return v.Code, err
		})},
		{ProtocolCBOR, "application/cbor", func(t *testing.T, rec *httptest.ResponseRecorder) string {
			v, err := smithycbor.Decode(rec.Body.Bytes())
			if err != nil {
				t.Fatalf("decode CBOR body: %v", err)
			}
			m, ok := v.(smithycbor.Map)
			if !ok {
				t.Fatalf("got CBOR %T, want a map", v)
			}
			if got := rec.Header().Get("X-Amzn-Query-Error"); got != "Throttling;Sender" {
				t.Errorf("got X-Amzn-Query-Error %q, want Throttling;Sender", got)
			}
			s, _ := m["__type"].(smithycbor.String)
			return string(s)
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.protocol), func(t *testing.T) {
			rec := httptest.NewRecorder()
			writeError(rec, tt.protocol, e, "req-1")
			if rec.Code != 400 {
				t.Errorf("got status %d, want 400", rec.Code)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("got Content-Type %q, want %q", got, tt.contentType)
			}
			if got := tt.code(t, rec); got != "Throttling" {
				t.Errorf("got code %q in body %q, want Throttling", got, rec.Body.String())
			}
		})
	}
}

func jsonCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	if got := rec.Header().Get("X-Amzn-ErrorType"); got != "Throttling" {
		t.Errorf("got X-Amzn-ErrorType %q, want Throttling", got)
	}
	var v struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("parse JSON body %q: %v", rec.Body.String(), err)
	}
	if v.Message != "Rate exceeded" {
		t.Errorf("got message %q, want Rate exceeded", v.Message)
	}
	return v.Type
}

func xmlCode(parse func([]byte) (string, error)) func(*testing.T, *httptest.ResponseRecorder) string {
	return func(t *testing.T, rec *httptest.ResponseRecorder) string {
		code, err := parse(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("parse XML body %q: %v", rec.Body.String(), err)
		}
		return code
	}
}

func TestDefaultErrorStatus(t *testing.T) {
	tests := []struct {
		fault    Fault
		protocol Protocol
		status   int
		code     string
	}{
		{FaultThrottle, ProtocolRESTJSON, http.StatusTooManyRequests, "ThrottlingException"},
		{FaultThrottle, ProtocolRESTXML, http.StatusServiceUnavailable, "SlowDown"},
		{FaultThrottle, ProtocolQuery, http.StatusBadRequest, "Throttling"},
		{FaultServerError, ProtocolJSON11, http.StatusInternalServerError, "InternalFailure"},
		{FaultAccessDenied, ProtocolEC2Query, http.StatusForbidden, "UnauthorizedOperation"},
		{FaultAccessDenied, ProtocolJSON11, http.StatusBadRequest, "AccessDeniedException"},
	}
	for _, tt := range tests {
		got := defaultError(tt.fault, tt.protocol)
		if got.Status != tt.status || got.Code != tt.code {
			t.Errorf("%s in %s: got %d %s, want %d %s", tt.fault, tt.protocol, got.Status, got.Code, tt.status, tt.code)
		}
	}
}
